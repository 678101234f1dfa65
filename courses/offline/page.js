/* Offline lessons (docs/offline.md), on every page of the site (minified by `make frontend` into
 * courses/static/courses/offline/offline.js).
 *
 * - Registers the service worker (/sw.js), which serves saved pages and files without a connection.
 * - "Save for offline" on a module or course page: stores its pages and files (each address fetched
 *   once) in the cache the service worker reads, shows the size before and the space used after, and
 *   removes them again.
 * - The outbox: what the learner does without a connection (xAPI statements, knowledge-check
 *   answers, "mark as complete", H5P state) is kept in IndexedDB with the key of the learner whose
 *   page made it, and sent in order when the connection returns, with the CSRF token of the session
 *   signed in then, and only if that session is the same learner's. Each request carries its own id
 *   (statement id, event id), so the site stores a request sent twice once.
 */
(function () {
  "use strict";
  if (window.learningOutbox) { return; }
  var CACHE = "learning-offline-v1";
  var SAVED = "learning-offline-saved";    // localStorage: {pageId: {title, urls, bytes, learner, language}}
  var REFUSED = "learning-outbox-refused"; // localStorage: [{learner, name, reason}]
  var DB = "learning-outbox";
  var STORE = "requests";
  var status = null;
  var learner = "";
  var flushing = null;
  var sentThisPage = 0;

  function meta(name) {
    var node = document.querySelector('meta[name="' + name + '"]');
    return node ? node.getAttribute("content") : "";
  }

  function message(name, values) {
    var node = null;
    Array.prototype.forEach.call(document.querySelectorAll("template[data-offline-messages]"), function (template) {
      node = node || template.content.querySelector("[data-" + name + "]");
    });
    var text = node ? node.textContent : "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  function number(value, digits) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {maximumFractionDigits: digits || 0}).format(value);
  }

  function size(bytes) {
    if (bytes < 1024 * 1024) { return message("kb", {number: number(Math.max(1, Math.round(bytes / 1024)))}); }
    return message("mb", {number: number(bytes / (1024 * 1024), 1)});
  }

  // --- The outbox (IndexedDB) ---

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, {keyPath: "seq", autoIncrement: true}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function transact(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function allItems() {
    return transact("readonly", function (store) { return store.getAll(); });
  }

  function removeItem(seq) {
    return transact("readwrite", function (store) { store.delete(seq); });
  }

  /* Keep a request for later. ``item``: {url, method, body, type ("json" | "form"), kind, name, replaces}.
   * An item with ``replaces`` (an H5P state address) replaces an unsent one with the same key: only the
   * latest state matters. */
  function queue(item) {
    if (!learner) { return Promise.reject(new Error("no learner signed in on this page")); }
    item.learner = learner;
    item.queuedAt = new Date().toISOString();
    return transact("readwrite", function (store) {
      if (!item.replaces) { store.add(item); return; }
      var cursor = store.openCursor();
      var replaced = false;
      cursor.onsuccess = function () {
        var current = cursor.result;
        if (current) {
          if (current.value.replaces === item.replaces && current.value.learner === item.learner) {
            if (!replaced) { item.seq = current.value.seq; current.update(item); replaced = true; } else { current.delete(); }
          }
          current.continue();
        } else if (!replaced) {
          store.add(item);
        }
      };
    }).then(function () { showStatus(); });
  }

  /* Answers waiting for the learner ``key``, or for anyone on a page where nobody is signed in. */
  function waitingFor(items, key) {
    return items.filter(function (item) { return (!key || item.learner === key) && item.kind !== "state"; }).length;
  }

  function refusedList() {
    try { return JSON.parse(localStorage.getItem(REFUSED) || "[]"); } catch (error) { return []; }
  }

  function noteRefused(item, reason) {
    var list = refusedList();
    list.push({learner: item.learner, name: item.name || item.url, reason: reason});
    localStorage.setItem(REFUSED, JSON.stringify(list.slice(-50)));
  }

  function body(item, token) {
    if (item.type !== "form") { return item.body; }
    var params = new URLSearchParams(item.body);
    params.set("csrfmiddlewaretoken", token);
    return params.toString();
  }

  function reasonOf(response) {
    var fallback = message(response.status === 404 || response.status === 410 ? "gone" : "not-accepted");
    return response.json().then(function (data) {
      return {code: data.code || "", text: data.message || fallback};
    }, function () { return {code: "", text: fallback}; });
  }

  /* Send one item. Answers "sent", "refused" (the site will never take it: told by name, dropped),
   * "later" (no network, a server error, or a CSRF token the site no longer takes) or "sign-in". */
  function sendItem(item, token) {
    var headers = {"X-CSRFToken": token, "Accept": "application/json"};
    headers["Content-Type"] = item.type === "form" ? "application/x-www-form-urlencoded" : "application/json";
    return fetch(item.url, {
      method: item.method || "POST", credentials: "same-origin", redirect: "manual", headers: headers, body: body(item, token)
    }).then(function (response) {
      if (response.ok || response.type === "opaqueredirect") { return "sent"; }
      if (response.status >= 500 || response.status === 429) { return "later"; }
      return reasonOf(response).then(function (reason) {
        if (response.status === 403 && (reason.code === "not_signed_in" || reason.code === "")) {
          return reason.code ? "sign-in" : "later";  // no code: Django's CSRF refusal; the token is fetched anew
        }
        noteRefused(item, reason.text);
        return "refused";
      });
    }, function () { return "later"; });
  }

  function session() {
    var url = status.getAttribute("data-session-url");
    return fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (response) {
      if (!response.ok) { throw new Error("session check " + response.status); }
      return response.json();
    });
  }

  function withLock(work) {
    if (navigator.locks && navigator.locks.request) { return navigator.locks.request(DB, work); }
    return work();
  }

  /* Send what is waiting, oldest first, for the learner signed in now; stop at the first item that
   * must wait, so nothing overtakes it. */
  function flush() {
    if (flushing) { return flushing; }
    flushing = withLock(function () {
      return allItems().then(function (items) {
        // Nothing waiting (another page of this site may have sent it as the network came back): settled.
        if (!items.length) { return {state: "done"}; }
        return session().then(function (now) {
          var mine = items.filter(function (item) { return now.learner && item.learner === now.learner; });
          if (!mine.length) { return {state: now.learner ? "other" : "sign-in"}; }
          setText(message("sending"));
          var index = 0;
          function next() {
            if (index >= mine.length) { return {state: "done"}; }
            var item = mine[index++];
            return sendItem(item, now.csrfToken).then(function (result) {
              if (result === "sent" || result === "refused") {
                if (result === "sent" && item.kind !== "state") { sentThisPage++; }
                return removeItem(item.seq).then(next);
              }
              return {state: result};
            });
          }
          return next();
        });
      }).catch(function () { return {state: "later"}; });
    }).then(function (outcome) {
      flushing = null;
      return showStatus(outcome && outcome.state).then(function () { return outcome; });
    });
    return flushing;
  }

  // --- What the learner sees ---

  function setText(text) {
    var line = status.querySelector("[data-offline-status-text]");
    line.textContent = text;
    status.hidden = !text && status.querySelector("[data-offline-refused]").hidden;
  }

  function showRefused() {
    var list = status.querySelector("[data-offline-refused]");
    var mine = refusedList().filter(function (entry) { return entry.learner === learner; });
    list.textContent = "";
    mine.forEach(function (entry) {
      var li = document.createElement("li");
      li.textContent = message("refused", {name: entry.name, reason: entry.reason});
      list.appendChild(li);
    });
    list.hidden = !mine.length;
    if (mine.length) {  // told once: the list is kept on this page until it is left
      localStorage.setItem(REFUSED, JSON.stringify(refusedList().filter(function (entry) { return entry.learner !== learner; })));
    }
  }

  function showStatus(state) {
    return allItems().then(function (items) {
      var waiting = waitingFor(items, learner);
      var parts = [];
      if (!navigator.onLine) { parts.push(message("offline")); }
      if (waiting) {
        parts.push(message(waiting === 1 ? "waiting-one" : "waiting-other", {count: number(waiting)}));
        if (state === "sign-in") { parts.push(message("sign-in")); }
      } else if (sentThisPage && state === "done") {
        parts.push(message("sent"));
      }
      if (state === "other" && items.length) { parts.push(message("other-learner")); }
      showRefused();
      setText(parts.join(" "));
      status.setAttribute("data-offline-waiting", String(waiting));
      status.setAttribute("data-offline-state", state || "");
      var link = status.querySelector("[data-offline-sign-in]");
      if (state === "sign-in" && waiting && !link) {
        link = document.createElement("a");
        link.setAttribute("data-offline-sign-in", "");
        link.href = status.getAttribute("data-sign-in-url") + "?next=" + encodeURIComponent(location.pathname);
        link.textContent = message("sign-in");
        status.querySelector("[data-offline-status-text]").after(link);
      } else if (link && state !== "sign-in") {
        link.remove();
      }
    }).catch(function () { /* IndexedDB unavailable (a private window): nothing is kept */ });
  }

  // --- Forms: knowledge checks and "mark as complete" ---

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function formName(form) {
    var heading = document.querySelector("h1");
    var legend = form.querySelector("legend");
    return [heading && heading.textContent.trim(), legend && legend.textContent.trim()].filter(Boolean).join(": ");
  }

  function note(form, text) {
    var line = form.querySelector("[data-offline-kept]");
    if (!line) {
      line = document.createElement("p");
      line.className = "feedback feedback--kept";
      line.setAttribute("role", "status");
      line.setAttribute("data-offline-kept", "");
      form.appendChild(line);
    }
    line.textContent = text;
  }

  function setUpForms() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-outbox]"), function (form) {
      if (form.getAttribute("data-outbox") === "check") {
        var id = document.createElement("input");
        id.type = "hidden";
        id.name = "event_id";
        id.value = uuid4();  // the same answer posted twice is recorded once
        form.appendChild(id);
      }
      form.addEventListener("submit", function (event) {
        if (navigator.onLine || !learner) { return; }
        var kind = form.getAttribute("data-outbox");
        if (kind === "check" && !form.querySelector("input[name=choice]:checked")) { return; }
        event.preventDefault();
        var data = new URLSearchParams(new FormData(form));
        data.delete("csrfmiddlewaretoken");
        queue({url: form.action.split("#")[0], method: "POST", type: "form", body: data.toString(), kind: kind, name: formName(form)}).then(function () {
          note(form, message(kind === "check" ? "kept-check" : "kept-complete"));
          var fresh = form.querySelector("input[name=event_id]");
          if (fresh) { fresh.value = uuid4(); }  // another answer to this question is another event
        });
      });
    });
    // Signing out on a shared computer takes this learner's saved pages off the device (their answers
    // still waiting stay, marked as theirs, and are sent when they sign in again).
    Array.prototype.forEach.call(document.querySelectorAll(".account-nav form[method=post]"), function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-offline-cleared")) { return; }
        event.preventDefault();
        forgetSaved().then(function () { form.setAttribute("data-offline-cleared", "1"); form.submit(); });
      });
    });
  }

  // --- Save for offline ---

  function savedIndex() {
    try { return JSON.parse(localStorage.getItem(SAVED) || "{}"); } catch (error) { return {}; }
  }

  function writeIndex(index) {
    localStorage.setItem(SAVED, JSON.stringify(index));
  }

  function forgetSaved(keep) {
    var index = savedIndex();
    var ids = Object.keys(index).filter(function (id) { return !keep || !keep(index[id]); });
    if (!ids.length || !window.caches) { return Promise.resolve(); }
    return ids.reduce(function (done, id) { return done.then(function () { return removeSaved(id); }); }, Promise.resolve());
  }

  /* A page names who it was made for: saved pages of anyone else (someone signed out by the shared
   * computer's idle timeout) leave the device before another person can answer on them. */
  function forgetOtherLearnersPages() {
    return forgetSaved(function (entry) { return !entry.learner || entry.learner === learner; });
  }

  function removeSaved(id) {
    var index = savedIndex();
    var entry = index[id];
    delete index[id];
    writeIndex(index);
    if (!entry) { return Promise.resolve(); }
    var stillUsed = {};
    Object.keys(index).forEach(function (other) { index[other].urls.forEach(function (url) { stillUsed[url] = true; }); });
    return caches.open(CACHE).then(function (cache) {
      return Promise.all(entry.urls.filter(function (url) { return !stillUsed[url]; }).map(function (url) { return cache.delete(url); }));
    });
  }

  var SUBRESOURCES = "img[src], img[srcset], source[src], track[src], video[poster], link[rel~=stylesheet][href], link[rel~=icon][href], script[src]";

  function namedBy(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var urls = [];
    Array.prototype.forEach.call(doc.querySelectorAll(SUBRESOURCES), function (node) {
      ["src", "href", "poster"].forEach(function (name) { if (node.getAttribute(name)) { urls.push(node.getAttribute(name)); } });
      (node.getAttribute("srcset") || "").split(",").forEach(function (part) { var url = part.trim().split(/\s+/)[0]; if (url) { urls.push(url); } });
    });
    return urls.map(function (url) { return new URL(url, location.href); })
      .filter(function (url) { return url.origin === location.origin; })
      .map(function (url) { return url.pathname + url.search; });
  }

  /* Fetch each address once (none already on the device), a few at a time, into the cache. */
  function store(cache, urls, progress, added) {
    var queueOf = urls.slice();
    var seen = {};
    var bytes = 0;
    var done = 0;
    urls.forEach(function (url) { seen[url] = true; });
    var failure = null;
    function worker() {
      var url = queueOf.shift();
      if (url === undefined || failure) { return Promise.resolve(); }
      return cache.match(url, {ignoreVary: true}).then(function (hit) {
        if (hit) { return hit.clone().blob().then(function (blob) { bytes += blob.size; }); }
        return fetch(url, {credentials: "same-origin", headers: {"X-Learning-Offline-Save": "1"}}).then(function (response) {
          if (!response.ok) { throw new Error(url + ": " + response.status); }
          return response.blob().then(function (blob) {
            bytes += blob.size;
            // stored as a plain response (a redirected one cannot answer a navigation)
            added.push(url);
            var kept = cache.put(url, new Response(blob, {status: 200, headers: response.headers}));
            if (!/html/.test(response.headers.get("Content-Type") || "")) { return kept; }
            return blob.text().then(function (html) {
              namedBy(html).forEach(function (found) { if (!seen[found]) { seen[found] = true; urls.push(found); queueOf.push(found); } });
              return kept;
            });
          });
        });
      }).then(function () { done++; progress(done, urls.length); return worker(); }, function (error) { failure = failure || error; });
    }
    // Every worker stops after the first failure; the caller cleans up once all have settled.
    return Promise.all([worker(), worker(), worker(), worker()]).then(function () {
      if (failure) { throw failure; }
      return bytes;
    });
  }

  function used() {
    if (!navigator.storage || !navigator.storage.estimate) { return Promise.resolve(null); }
    return navigator.storage.estimate().then(function (estimate) { return estimate.usage; }, function () { return null; });
  }

  function setUpSaving(box) {
    var id = box.getAttribute("data-offline-save");
    var line = box.querySelector("[data-offline-save-status]");
    var save = box.querySelector("[data-offline-save-button]");
    var remove = box.querySelector("[data-offline-remove-button]");
    box.hidden = false;
    if (!window.caches || !("serviceWorker" in navigator)) {
      line.textContent = message("unsupported");
      save.hidden = true;
      return;
    }
    function showSaved(entry) {
      return used().then(function (usage) {
        line.textContent = message("saved", {size: size(entry.bytes), used: size(usage === null ? entry.bytes : usage)});
        box.setAttribute("data-offline-saved", "true");
        save.hidden = true;
        remove.hidden = false;
      });
    }
    function list() {
      return fetch(box.getAttribute("data-files-url"), {credentials: "same-origin", cache: "no-store"}).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { throw new Error(data.message || String(response.status)); }
          return data;
        });
      });
    }
    var entry = savedIndex()[id];
    if (entry) {
      showSaved(entry);
    } else if (navigator.onLine) {
      list().then(function (data) {
        line.textContent = message("size", {size: size(data.bytes)});
        box.setAttribute("data-offline-bytes", String(data.bytes));
      }).catch(function (error) { line.textContent = message("save-failed", {reason: error.message}); });
    } else {
      line.textContent = message("needs-connection");
    }
    save.addEventListener("click", function () {
      if (!navigator.onLine) { line.textContent = message("needs-connection"); return; }
      save.disabled = true;
      if (navigator.storage && navigator.storage.persist) { navigator.storage.persist(); }
      var added = [];
      list().then(function (data) {
        var urls = data.pages.concat(data.files.map(function (file) { return file.url; }));
        return caches.open(CACHE).then(function (cache) {
          return store(cache, urls, function (done, total) {
            line.textContent = message("saving", {done: number(done), total: number(total)});
          }, added).catch(function (error) {
            // Half a module is no module: what this attempt stored leaves the device again.
            return Promise.all(added.map(function (url) { return cache.delete(url); })).then(function () { throw error; });
          });
        }).then(function (bytes) {
          var saved = {title: data.title, language: data.language, urls: urls, bytes: bytes, learner: learner, page: location.pathname, savedAt: new Date().toISOString()};
          var index = savedIndex();
          index[id] = saved;
          writeIndex(index);
          return showSaved(saved);
        });
      }).catch(function (error) {
        line.textContent = message("save-failed", {reason: error.message});
      }).then(function () { save.disabled = false; });
    });
    remove.addEventListener("click", function () {
      removeSaved(id).then(function () {
        box.removeAttribute("data-offline-saved");
        line.textContent = message("removed");
        remove.hidden = true;
        save.hidden = false;
      });
    });
  }

  function listSavedPages() {
    var list = document.querySelector("[data-offline-saved-list]");
    if (!list) { return; }
    var index = savedIndex();
    Object.keys(index).forEach(function (id) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = index[id].page;
      a.textContent = index[id].title;
      a.lang = index[id].language;
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function setUp() {
    status = document.querySelector("[data-offline-status]");
    if (!status) { return; }
    learner = meta("learning-learner");
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(status.getAttribute("data-service-worker"), {scope: "/"}).catch(function () { /* http on another host */ });
    }
    forgetOtherLearnersPages();
    setUpForms();
    Array.prototype.forEach.call(document.querySelectorAll("[data-offline-save]"), setUpSaving);
    listSavedPages();
    window.addEventListener("online", function () { flush(); });
    window.addEventListener("offline", function () { showStatus(); });
    window.setInterval(function () { if (navigator.onLine) { flush(); } }, 30000);
    (navigator.onLine ? flush() : showStatus()).then(function () { status.setAttribute("data-offline-ready", "true"); });
  }

  window.learningOutbox = {queue: queue, flush: flush, learner: function () { return learner; }};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
