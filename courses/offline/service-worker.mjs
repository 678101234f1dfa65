/* The site's service worker (docs/offline.md), bundled by `make frontend` with Workbox's modules.
 *
 * It stores nothing by itself: no precache, so a first visit downloads this script and nothing more.
 * Only "Save for offline" (courses/offline/page.js) puts pages and files into the cache.
 * - Pages: the network first; a saved page is refreshed when it is read online, and read from the
 *   device when the network fails or takes longer than a few seconds. A page that is not saved
 *   answers, without a connection, with the "not saved" page in the reader's language.
 * - Files (static files, H5P, images, documents): from the device when saved (with byte ranges for
 *   video and audio), else from the network, never stored on the way.
 * - Everything else (posts, the session check, the API) goes to the network untouched.
 */
import {clientsClaim} from "workbox-core";
import {registerRoute, setCatchHandler} from "workbox-routing";
import {CacheFirst, NetworkFirst} from "workbox-strategies";
import {RangeRequestsPlugin} from "workbox-range-requests";

const CACHE = "learning-offline-v1";
const LANGUAGES = ["en", "bn", "dz"];
const FILES = /^\/(static|h5p|media|documents|offline\/not-saved)\//;
const NOT_SAVED_TEXT = {
  en: ["This page is not saved on this device", "You are offline, and this page was not saved for offline use."],
  bn: ["এই পাতাটি এই ডিভাইসে সংরক্ষিত নেই", "আপনি অফলাইনে আছেন, এবং এই পাতাটি অফলাইনে ব্যবহারের জন্য সংরক্ষণ করা হয়নি।"],
  dz: ["ཤོག་ལེབ་འདི་ འཕྲུལ་ཆས་འདི་ནང་ ཉར་ཚགས་མ་འབད་བས།", "ཁྱོད་ ཡོངས་འབྲེལ་མེད་པར་ཡོདཔ་དང་ ཤོག་ལེབ་འདི་ ཡོངས་འབྲེལ་མེད་པར་ལག་ལེན་འཐབ་ནིའི་དོན་ལུ་ ཉར་ཚགས་མ་འབད་བས།"],
};

self.skipWaiting();
clientsClaim();

const matchOptions = {ignoreVary: true};
const neverStore = {cacheWillUpdate: async () => null};
// A saved page read online is stored again (fresh progress); a page that was not saved stays unsaved.
const refreshSaved = {
  cacheWillUpdate: async ({request, response}) => {
    if (!response || response.status !== 200 || response.redirected) { return null; }
    const cache = await caches.open(CACHE);
    return (await cache.match(request, matchOptions)) ? response : null;
  },
};

const sameOrigin = (url) => url.origin === self.location.origin;

registerRoute(
  ({request, url}) => request.mode === "navigate" && sameOrigin(url) && !url.pathname.startsWith("/admin/"),
  new NetworkFirst({cacheName: CACHE, networkTimeoutSeconds: 5, matchOptions, plugins: [refreshSaved]}),
);
registerRoute(
  ({request, url}) => request.method === "GET" && sameOrigin(url) && FILES.test(url.pathname),
  new CacheFirst({cacheName: CACHE, matchOptions, plugins: [neverStore, new RangeRequestsPlugin()]}),
);

function languageOf(url) {
  const first = new URL(url).pathname.split("/")[1];
  return LANGUAGES.includes(first) ? first : "en";
}

function escape(text) {
  return text.replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"})[c]);
}

// A navigation with neither a network nor a saved copy.
setCatchHandler(async ({request}) => {
  if (request.mode !== "navigate") { return Response.error(); }
  const language = languageOf(request.url);
  const cache = await caches.open(CACHE);
  const page = await cache.match(`/offline/not-saved/${language}/`, matchOptions);
  if (page) {
    return new Response(await page.blob(), {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
  }
  const [title, text] = NOT_SAVED_TEXT[language];
  const html = `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8">`
    + `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>`
    + `<body><main><h1>${escape(title)}</h1><p>${escape(text)}</p></main></body></html>`;
  return new Response(html, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
});
