/* H5P.ShikkhaKnowledgeCheck: one multiple-choice question with real radio buttons and a status region.
 * Checking an answer reports an xAPI "answered" statement with a score through H5P's event dispatcher,
 * so any H5P player (and this site's lesson page) can record it. Text comes from the content, so the
 * same library serves English and Bengali activities. */
var H5P = H5P || {};

H5P.ShikkhaKnowledgeCheck = (function () {
  "use strict";

  var DEFAULTS = {
    check: "Check my answer",
    retry: "Try again",
    chooseOne: "Choose one answer first.",
    correct: "Correct.",
    wrong: "Not quite.",
    score: "You scored :score out of :max."
  };
  var counter = 0;

  function KnowledgeCheck(params, contentId) {
    H5P.EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    this.l10n = {};
    var given = this.params.l10n || {};
    for (var key in DEFAULTS) {
      if (Object.prototype.hasOwnProperty.call(DEFAULTS, key)) {
        this.l10n[key] = given[key] || DEFAULTS[key];
      }
    }
    this.choices = (this.params.choices || []).filter(function (choice) { return choice && choice.text; });
    this.chosen = null;
    this.score = 0;
    this.answered = false;
    this.id = "shikkha-check-" + (++counter);
  }

  KnowledgeCheck.prototype = Object.create(H5P.EventDispatcher.prototype);
  KnowledgeCheck.prototype.constructor = KnowledgeCheck;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  KnowledgeCheck.prototype.attach = function ($container) {
    var self = this;
    var root = $container.get ? $container.get(0) : $container;
    root.classList.add("shikkha-check");
    root.textContent = "";
    var fieldset = element("fieldset");
    fieldset.appendChild(element("legend", "", this.params.question || ""));
    this.inputs = this.choices.map(function (choice, index) {
      var row = element("div", "shikkha-check__choice");
      var input = element("input");
      input.type = "radio";
      input.name = self.id;
      input.id = self.id + "-" + index;
      input.value = String(index);
      var label = element("label", "", choice.text);
      label.htmlFor = input.id;
      row.appendChild(input);
      row.appendChild(label);
      fieldset.appendChild(row);
      return input;
    });
    this.button = element("button", "shikkha-check__button", this.l10n.check);
    this.button.type = "button";
    this.feedback = element("div", "shikkha-check__feedback");
    this.feedback.setAttribute("role", "status");
    this.button.addEventListener("click", function () { self.check(); });
    root.appendChild(fieldset);
    root.appendChild(this.button);
    root.appendChild(this.feedback);
    this.trigger("resize");
  };

  KnowledgeCheck.prototype.check = function () {
    if (this.answered) { this.resetTask(); return; }
    var chosen = this.inputs.findIndex(function (input) { return input.checked; });
    if (chosen === -1) {
      this.feedback.className = "shikkha-check__feedback shikkha-check__feedback--wrong";
      this.feedback.textContent = this.l10n.chooseOne;
      return;
    }
    this.chosen = chosen;
    this.answered = true;
    var correct = Boolean(this.choices[chosen].correct);
    this.score = correct ? 1 : 0;
    this.inputs.forEach(function (input) { input.disabled = true; });
    this.feedback.className = "shikkha-check__feedback shikkha-check__feedback--" + (correct ? "correct" : "wrong");
    var text = (correct ? this.l10n.correct : this.l10n.wrong) + " " +
      this.l10n.score.replace(":score", String(this.score)).replace(":max", "1");
    if (this.params.explanation) { text += " " + this.params.explanation; }
    this.feedback.textContent = text;
    this.button.textContent = this.l10n.retry;
    this.trigger(this.answeredStatement(chosen, correct));
    this.trigger("resize");
  };

  KnowledgeCheck.prototype.answeredStatement = function (chosen, correct) {
    var event = this.createXAPIEventTemplate("answered");
    var definition = event.getVerifiedStatementValue(["object", "definition"]);
    definition.description = {"en-US": this.params.question || ""};
    definition.type = "http://adlnet.gov/expapi/activities/cmi.interaction";
    definition.interactionType = "choice";
    definition.correctResponsesPattern = this.choices
      .map(function (choice, index) { return choice.correct ? String(index) : null; })
      .filter(function (value) { return value !== null; });
    definition.choices = this.choices.map(function (choice, index) {
      return {id: String(index), description: {"en-US": choice.text}};
    });
    event.setScoredResult(this.score, 1, this, true, correct);
    event.data.statement.result.response = String(chosen);
    return event;
  };

  KnowledgeCheck.prototype.getScore = function () { return this.score; };
  KnowledgeCheck.prototype.getMaxScore = function () { return 1; };
  KnowledgeCheck.prototype.getAnswerGiven = function () { return this.answered; };
  KnowledgeCheck.prototype.showSolutions = function () {
    var self = this;
    this.inputs.forEach(function (input, index) { input.checked = Boolean(self.choices[index].correct); });
  };
  KnowledgeCheck.prototype.resetTask = function () {
    this.answered = false;
    this.chosen = null;
    this.score = 0;
    this.inputs.forEach(function (input) { input.disabled = false; input.checked = false; });
    this.feedback.textContent = "";
    this.feedback.className = "shikkha-check__feedback";
    this.button.textContent = this.l10n.check;
    this.inputs[0].focus();
  };

  return KnowledgeCheck;
})();
