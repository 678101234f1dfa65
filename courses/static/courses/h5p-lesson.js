/* H5P activities in a lesson: nothing of the player loads until the learner presses "Start activity".
 *
 * Then the h5p-standalone player (served by the site, never a CDN) plays the activity, with its xAPI
 * object id set to the block's activity IRI. Statements that answer or complete an activity are sent
 * to the site's statement endpoint with the CSRF token, each with its own id so a retry is stored once.
 *
 * For an enrolled learner the page also says where H5P keeps their place ("content user data"): the
 * player resumes from the state preloaded in the page, the H5P core saves a changed state every few
 * seconds to that address (this loader adds the CSRF header to the core's requests), and the loader
 * saves once more when the page is hidden or left, when browsers no longer allow the core's own
 * synchronous save.
 */
(function () {
  "use strict";
  if (window.lessonH5P) { return; }
  var RESULT_VERBS = ["answered", "completed", "passed", "failed"];
  var players = [];  // {section, config}
  var mainScript = null;
  var listening = false;

  function message(section, name) {
    var template = section.querySelector("template[data-h5p-messages]");
    var node = template && template.content.querySelector("[data-" + name + "]");
    return node ? node.textContent : "";
  }

  function setStatus(section, text) {
    section.querySelector("[data-h5p-status]").textContent = text;
  }

  function loadMain(src) {
    if (!mainScript) {
      mainScript = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { mainScript = null; reject(new Error("player did not load")); };
        document.head.appendChild(script);
      });
    }
    return mainScript;
  }

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function playerFor(objectId) {
    var iri = String(objectId || "").split("?")[0];
    for (var i = 0; i < players.length; i++) {
      if (players[i].config.activityIri === iri) { return players[i]; }
    }
    return null;
  }

  function onStatement(event) {
    var statement = event && event.data && event.data.statement;
    if (!statement || !statement.object || !statement.verb) { return; }
    var player = playerFor(statement.object.id);
    if (!player) { return; }
    var verb = String(statement.verb.id || "").split("/").pop();
    if (RESULT_VERBS.indexOf(verb) === -1) { return; }
    var whole = String(statement.object.id).indexOf("?") === -1;
    var score = statement.result && statement.result.score;
    if (whole && score && typeof score.raw === "number" && typeof score.max === "number") {
      // In the page's digits (Bengali, Tibetan), as the server's formatting layer prints them.
      var digits = new Intl.NumberFormat(document.documentElement.lang || undefined);
      setStatus(player.section, message(player.section, "score").replace("%(raw)s", digits.format(score.raw)).replace("%(max)s", digits.format(score.max)));
    } else if (whole && verb === "completed") {
      setStatus(player.section, message(player.section, "done"));
    }
    send(player, statement, whole);
  }

  function send(player, statement, whole) {
    var config = player.config;
    if (!config.statementsUrl || !config.actor) { return; }
    var copy = JSON.parse(JSON.stringify(statement));
    copy.id = copy.id || uuid4();
    copy.actor = config.actor;
    var outbox = window.learningOutbox;
    // Without a connection the statement waits in the outbox (courses/offline/page.js); its id makes the
    // site store it once however often it is sent.
    function keep() {
      return outbox.queue({url: config.statementsUrl, method: "POST", type: "json", body: JSON.stringify(copy), kind: "statement", name: config.title}).then(function () {
        if (whole) {
          var status = player.section.querySelector("[data-h5p-status]").textContent;
          setStatus(player.section, (status ? status + " " : "") + message(player.section, "kept"));
          player.section.setAttribute("data-h5p-kept", String(++player.kept));
        }
      });
    }
    if (outbox && !navigator.onLine) { keep(); return; }
    player.section.setAttribute("data-h5p-sending", String(++player.pending));
    fetch(config.statementsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": config.csrfToken},
      body: JSON.stringify(copy)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!whole) { return; }
        var status = player.section.querySelector("[data-h5p-status]").textContent;
        if (response.ok) {
          setStatus(player.section, (status ? status + " " : "") + message(player.section, "saved"));
          showStanding(player.section, body.activity);
        } else {
          setStatus(player.section, message(player.section, "not-saved") + " " + (body.message || response.status));
        }
      });
    }, function () {
      if (outbox) { return keep(); }
      if (whole) { setStatus(player.section, message(player.section, "not-saved")); }
    }).then(function () {
      player.section.setAttribute("data-h5p-sending", String(--player.pending));
      if (whole) { player.section.setAttribute("data-h5p-sent", String(++player.sent)); }
    });
  }

  function showStanding(section, activity) {
    // The counting score the site now holds for this activity (best or latest attempt, as the course
    // says), in the page's own digits: "your result so far" without reloading the page.
    if (!activity || typeof activity.score_percent !== "number") { return; }
    var line = section.querySelector("[data-h5p-previous]");
    if (!line) {
      line = document.createElement("p");
      line.className = "h5p-activity__previous";
      line.setAttribute("data-h5p-previous", "");
      section.querySelector("[data-h5p-status]").before(line);
    }
    var percent = new Intl.NumberFormat(document.documentElement.lang || undefined).format(activity.score_percent);
    line.textContent = message(section, "so-far").replace("%(percent)s", percent);
  }

  function listen() {
    if (listening || !window.H5P || !window.H5P.externalDispatcher) { return; }
    window.H5P.externalDispatcher.on("xAPI", onStatement);
    listening = true;
  }

  function start(section, config, button) {
    button.disabled = true;
    setStatus(section, message(section, "loading"));
    loadMain(config.mainJs).then(function () {
      var holder = section.querySelector("[data-h5p-player]");
      holder.hidden = false;
      var options = {
        id: section.id,
        h5pJsonPath: config.h5pJsonPath,
        librariesPath: config.librariesPath,
        frameJs: config.frameJs,
        frameCss: config.frameCss,
        customCss: config.customCss,
        xAPIObjectIRI: config.activityIri,
        frame: false, copyright: false, export: false, embed: false, icon: false, fullScreen: false
      };
      if (config.stateUrl) {
        options.saveFreq = config.saveFreq;
        options.user = {name: config.actor.account.name, mail: ""};
        options.ajax = {contentUserDataUrl: config.stateUrl};
        if (config.contentUserData) { options.contentUserData = config.contentUserData; }
      }
      return new window.H5PStandalone.H5P(holder, options);
    }).then(function () {
      listen();
      guardFrame(section, config);
      button.hidden = true;
      var hint = section.querySelector("[data-h5p-hint]");
      if (hint) { hint.hidden = true; }
      var frame = section.querySelector("[data-h5p-player] iframe");
      if (frame) {
        frame.setAttribute("title", config.title);
        try { frame.contentDocument.title = config.title; } catch (error) { /* another origin: its own title */ }
      }
      setStatus(section, "");
      section.setAttribute("data-h5p-ready", "true");
      var holder = section.querySelector("[data-h5p-player]");
      holder.setAttribute("tabindex", "-1");
      holder.focus();
    }).catch(function () {
      button.disabled = false;
      setStatus(section, message(section, "failed"));
    });
  }

  function stateAddress(config, dataType, subContentId) {
    return config.stateUrl.replace(":dataType", dataType).replace(":subContentId", subContentId || 0);
  }

  function frameOf(section) {
    return section.querySelector("[data-h5p-player] iframe");
  }

  // The H5P core posts the state with its own jQuery inside the player's frame: give those requests,
  // and only those, the CSRF header. The frame's scripts finish loading after the player resolves.
  function guardFrame(section, config, tries) {
    if (!config.stateUrl) { return; }
    var frame = frameOf(section);
    var core = frame && frame.contentWindow && frame.contentWindow.H5P;
    if (!core || !core.jQuery) {
      if ((tries || 0) < 600) { window.setTimeout(function () { guardFrame(section, config, (tries || 0) + 1); }, 50); }
      return;
    }
    var prefix = config.stateUrl.split(":")[0];
    core.jQuery.ajaxPrefilter(function (options, original, request) {
      if (String(options.url).indexOf(prefix) === 0) { request.setRequestHeader("X-CSRFToken", config.csrfToken); }
    });
  }

  // Save each started activity's current state when the page is hidden or left, unless this loader
  // sent that same state already (keepalive: the request outlives the page).
  function saveStates() {
    players.forEach(function (player) {
      var config = player.config;
      var frame = player.section.getAttribute("data-h5p-ready") && frameOf(player.section);
      var core = config.stateUrl && frame && frame.contentWindow && frame.contentWindow.H5P;
      if (!core || !core.instances) { return; }
      core.instances.forEach(function (instance) {
        if (typeof instance.getCurrentState !== "function") { return; }
        var state;
        try { state = instance.getCurrentState(); } catch (error) { return; }
        if (state === undefined) { return; }
        var text = JSON.stringify(state);
        // Not the core's cache: when the page is left, the core's own handler (in the frame, which
        // unloads first) writes the state there, then the browser refuses its synchronous request.
        if (player.leftState === text) { return; }
        player.leftState = text;
        var address = stateAddress(config, "state", 0);
        var fields = new URLSearchParams({data: text, preload: "1", invalidate: "1"});
        if (window.learningOutbox && !navigator.onLine) {  // the latest state waits in the outbox
          window.learningOutbox.queue({url: address, method: "POST", type: "form", body: fields.toString(), kind: "state", name: config.title, replaces: address});
          return;
        }
        fetch(address, {
          method: "POST",
          credentials: "same-origin",
          keepalive: true,
          headers: {"X-CSRFToken": config.csrfToken},
          body: fields
        }).catch(function () { /* offline: the core saves again while the page is open */ });
      });
    });
  }

  function setUp() {
    var sections = document.querySelectorAll("[data-h5p-activity]");
    Array.prototype.forEach.call(sections, function (section) {
      var config = JSON.parse(document.getElementById(section.getAttribute("data-h5p-activity")).textContent);
      var player = {section: section, config: config, pending: 0, sent: 0, kept: 0};
      players.push(player);
      var button = section.querySelector("[data-h5p-start]");
      button.addEventListener("click", function () { start(section, config, button); });
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { saveStates(); }
  });
  window.addEventListener("pagehide", saveStates);
  // Following one of the site's links, the state goes while the page is still whole: on a busy phone
  // the browser may cut a leaving page's pagehide short, and the save with it (tests/browser/leaving.py).
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target || link.hasAttribute("download") || link.origin !== window.location.origin) { return; }
    if (link.pathname === window.location.pathname && link.search === window.location.search) { return; }
    saveStates();
  }, true);
  // Offline the core's own saves fail: the loader keeps the latest state in the outbox as it changes.
  window.setInterval(function () { if (!navigator.onLine) { saveStates(); } }, 5000);

  window.lessonH5P = {players: players, saveStates: saveStates};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
