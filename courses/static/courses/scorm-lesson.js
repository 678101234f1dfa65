/* SCORM packages in a lesson: nothing of the runtime loads until the learner presses "Start module".
 *
 * Then scorm-again (served by the site, never a CDN) provides the SCORM 1.2 `API` or SCORM 2004
 * `API_1484_11` on this page, and the SCO opens in the frame below it, from the package's own path.
 * For a signed-in, enrolled learner the site says which attempt is played and the data to resume it
 * with (location, suspend data, status, score, total time); the runtime commits to the site as the SCO
 * goes (its own commits, and every few seconds after a change), and once more when the page is hidden
 * or left, with `fetch(..., {keepalive: true})` (or `sendBeacon`), so nothing is lost on leaving.
 * A package with several SCOs gets the package's navigation: its parts in manifest order, previous
 * and next, and the SCO's own navigation requests (SCORM 2004 `adl.nav.request` continue and previous,
 * acted on when the SCO terminates; `adl.nav.request_valid.continue/previous` answer for them).
 *
 * Leaving a SCO (another SCO, or leaving the page; not merely hiding it) ends its session: that commit
 * says so (`end=1`), and the site applies SCORM's rules for an attempt that ends unreported (a SCORM
 * 1.2 SCO that never set a status is `completed`, also when it never called the runtime at all).
 */
(function () {
  "use strict";
  if (window.lessonScorm) { return; }
  var runtime = null;
  var current = null;  // {section, config, index, api, commitUrl}
  var poll = null;

  function message(section, name) {
    var template = section.querySelector("template[data-scorm-messages]");
    var node = template && template.content.querySelector("[data-" + name + "]");
    return node ? node.textContent : "";
  }

  function setStatus(section, text) {
    section.querySelector("[data-scorm-status]").textContent = text;
  }

  function loadRuntime(src) {
    if (!runtime) {
      runtime = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { runtime = null; reject(new Error("runtime did not load")); };
        document.head.appendChild(script);
      });
    }
    return runtime;
  }

  function launch(config, sco) {
    if (!config.launchUrl) { return Promise.resolve(null); }
    return fetch(config.launchUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": config.csrfToken},
      body: JSON.stringify({sco: sco.identifier})
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { return {refused: body}; }
        return body;
      });
    });
  }

  function delivered(playing) {
    // Whether the learner was shown the SCO: its frame fired "load", or (when the page is left before
    // the SCO's images and styles have all arrived, so "load" has not fired yet) the frame already holds
    // the SCO's parsed document. SCO content is served from this site, so the frame is same-origin.
    if (playing.delivered) { return true; }
    try {
      var shown = playing.frame.contentWindow.location.href;
      return shown === new URL(playing.scoUrl, window.location.href).href
        && playing.frame.contentDocument.readyState !== "loading";
    } catch (error) {
      return false;
    }
  }

  function finalCommit(ending) {
    // The request, so that the next SCO starts once this one's session has ended (or undefined).
    if (!current || !current.api || !current.commitUrl) { return; }
    var body;
    var url = current.commitUrl + (ending === true && !current.ended && delivered(current) ? "&end=1" : "");
    if (current.api.isNotInitialized()) {
      if (url === current.commitUrl) { return; }  // nothing happened
      body = "{}";  // the SCO never called the runtime: nothing to send but the end of its session
    } else {
      try { body = JSON.stringify(current.api.renderCommitCMI(true)); } catch (error) { return; }
    }
    if (ending === true) { current.ended = true; }  // one end per session
    try {
      return fetch(url, {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: {"Content-Type": "application/json"}, body: body
      });
    } catch (error) {
      if (navigator.sendBeacon) { navigator.sendBeacon(url, new Blob([body], {type: "text/plain"})); }
    }
  }

  function makeApi(config, started) {
    var settings = {
      autocommit: false,  // this loader commits a few seconds after the SCO changes something (below)
      autoCompleteLessonStatus: true,  // SCORM 1.2: LMSFinish with no status set means "completed"
      dataCommitFormat: "flattened",
      logLevel: 5,
      lmsCommitUrl: started && started.commitUrl ? started.commitUrl : false,
      xhrWithCredentials: true,
      fetchMode: "same-origin"
    };
    var api = config.version === "2004" ? new window.Scorm2004API(settings) : new window.Scorm12API(settings);
    if (started && started.data) { api.loadFromFlattenedJSON(started.data, ""); }
    delete window.API;
    delete window.API_1484_11;
    if (config.version === "2004") { window.API_1484_11 = api; } else { window.API = api; }
    var section = current.section;
    var index = current.index;
    try {
      api.adl.nav.request_valid.continue = index < config.scos.length - 1 ? "true" : "false";
      api.adl.nav.request_valid.previous = index > 0 ? "true" : "false";
    } catch (error) { /* SCORM 1.2 has no adl.nav */ }
    // The SCO's own navigation requests, acted on once its Terminate (or LMSFinish) has returned.
    function navigate(step) {
      return function () {
        window.setTimeout(function () {
          var next = index + step;
          if (current && current.api === api && next >= 0 && next < config.scos.length) {
            play(section, config, next);
          }
        }, 0);
      };
    }
    api.on("SequenceNext", navigate(1));
    api.on("SequencePrevious", navigate(-1));
    // Commit whenever the SCO has changed something, checked every few seconds (and on leaving the page).
    var commitName = config.version === "2004" ? "Commit" : "LMSCommit";
    var statusName = config.version === "2004" ? "cmi.completion_status" : "cmi.core.lesson_status";
    var lastSent = null;
    window.clearInterval(poll);
    poll = window.setInterval(function () {
      if (!api.isInitialized()) { return; }
      var status = api[config.version === "2004" ? "GetValue" : "LMSGetValue"](statusName);
      if (status === "completed" || status === "passed") { setStatus(section, message(section, "done")); }
      if (!settings.lmsCommitUrl) { return; }
      var now = JSON.stringify(api.renderCommitCMI(false));
      if (now !== lastSent) {
        lastSent = now;
        if (api[commitName]("") === "true") { setStatus(section, message(section, "saved")); }
      }
    }, 3000);
    return api;
  }

  function play(section, config, index, focusFrame) {
    var frame = section.querySelector("[data-scorm-frame]");
    window.clearInterval(poll);
    var ended = current && current.api ? finalCommit(true) : null;
    frame.src = "about:blank";
    var sco = config.scos[index];
    current = {
      section: section, config: config, index: index, api: null, commitUrl: "", delivered: false, ended: false,
      frame: frame, scoUrl: sco.url
    };
    var playing = current;
    setStatus(section, message(section, "loading"));
    Promise.resolve(ended).catch(function () { return null; }).then(function () {
      return loadRuntime(config.runtime);
    }).then(function () {
      return launch(config, sco);
    }).then(function (started) {
      if (started && started.refused) {
        setStatus(section, message(section, "not-saved") + " " + (started.refused.message || ""));
        started = null;
      }
      current.commitUrl = started ? started.commitUrl : "";
      current.api = makeApi(config, started);
      section.querySelector("[data-scorm-player]").hidden = false;
      if (focusFrame) { frame.focus(); }  // once shown: a hidden frame cannot take the focus
      frame.title = sco.title;
      frame.onload = function () {
        if (current === playing && frame.getAttribute("src") === sco.url) { playing.delivered = true; }
      };
      frame.src = sco.url;
      section.querySelectorAll("[data-scorm-sco]").forEach(function (button) {
        if (Number(button.getAttribute("data-scorm-sco")) === index) {
          button.setAttribute("aria-current", "step");
        } else {
          button.removeAttribute("aria-current");
        }
      });
      var previous = section.querySelector("[data-scorm-previous]");
      var next = section.querySelector("[data-scorm-next]");
      if (previous) { previous.disabled = index === 0; }
      if (next) { next.disabled = index >= config.scos.length - 1; }
      setStatus(section, "");
    }).catch(function () {
      setStatus(section, message(section, "failed"));
    });
  }

  function setUp(section) {
    var config = JSON.parse(document.getElementById(section.getAttribute("data-scorm-package")).textContent);
    var start = section.querySelector("[data-scorm-start]");
    start.addEventListener("click", function () {
      start.hidden = true;
      section.querySelector("[data-scorm-hint]").hidden = true;
      play(section, config, 0, true);
    });
    section.querySelectorAll("[data-scorm-sco]").forEach(function (button) {
      button.addEventListener("click", function () {
        start.hidden = true;
        play(section, config, Number(button.getAttribute("data-scorm-sco")));
      });
    });
    var previous = section.querySelector("[data-scorm-previous]");
    var next = section.querySelector("[data-scorm-next]");
    if (previous) { previous.addEventListener("click", function () { play(section, config, current.index - 1); }); }
    if (next) { next.addEventListener("click", function () { play(section, config, current.index + 1); }); }
  }

  window.lessonScorm = {current: function () { return current; }, commitNow: finalCommit};
  window.addEventListener("pagehide", function () { finalCommit(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { finalCommit(false); }
  });
  function ready() { document.querySelectorAll("[data-scorm-package]").forEach(setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
