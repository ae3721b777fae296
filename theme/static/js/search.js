// Site search: queries the Pagefind index that the build writes, entirely in
// the browser. Loaded only by the search page, as a module (never inline), so
// the page's Content-Security-Policy needs only 'wasm-unsafe-eval' on top of
// the site-wide one. The header's search field and the 404 page's are plain
// forms that send ?q= here.
//
// Pagefind keeps one index per language (from each page's <html lang>), and
// the build splits the site into shards, each a bundle of its own, listed in
// the bundle folder's shards.json. One shard's pagefind.js is loaded, with
// the index of the page's language; every other index of every shard is
// merged into it: a Chinese word finds Chinese essays, an English word
// English ones, wherever the build put them.
//
// Each result shows the section of the page where the words are (Pagefind's
// sub-results, one per heading), so a heading is never run into the text
// after it. A Chinese query must match as written: Pagefind splits a word it
// does not know (互金) into characters and would find 金 alone inside 备付金,
// so results whose text lacks the query's Chinese words are dropped, and
// their excerpt marks the whole word. The page's messages come from the
// site's catalogs, in the form's data-msg-* attributes.

const form = document.querySelector("form[data-search-bundle]");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const MAX_RESULTS = 20;
// Results read to find MAX_RESULTS that contain a Chinese query as written.
const MAX_CHECKED = 60;
const EXCERPT_BEFORE = 24;
const EXCERPT_AFTER = 56;
const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]{2,}/g;

const bundleUrl = new URL(form.dataset.searchBundle, document.baseURI);
const siteRoot = new URL(form.dataset.searchRoot, document.baseURI);

function message(name, values = {}) {
  const text = form.dataset[name] || "";
  return text.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

function say(text) {
  status.textContent = text;
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${response.status} ${url}`);
  }
  return response.json();
}

// The language whose index Pagefind loads first from a bundle: the page's,
// else its base language, else the one with the most pages (Pagefind's rule).
function loadedLanguage(languages, wanted) {
  if (wanted in languages) {
    return wanted;
  }
  if (wanted.split("-")[0] in languages) {
    return wanted.split("-")[0];
  }
  return Object.entries(languages).sort((a, b) => b[1].page_count - a[1].page_count)[0][0];
}

async function loadPagefind() {
  const manifest = await fetchJson(new URL("shards.json", bundleUrl));
  const shards = await Promise.all(
    Object.keys(manifest.shards).map(async (name) => {
      const url = new URL(`${name}/`, bundleUrl);
      const entry = await fetchJson(new URL("pagefind-entry.json", url));
      return { url, languages: entry.languages };
    }),
  );
  const pageLanguage = document.documentElement.lang.toLowerCase();
  const first =
    shards.find((shard) => loadedLanguage(shard.languages, pageLanguage) === pageLanguage) ||
    shards[0];
  const pagefind = await import(new URL("pagefind.js", first.url).href);
  // Result URLs are site-relative; prefix the site's own path so a deploy
  // under a sub-path links to the right place.
  await pagefind.options({ baseUrl: siteRoot.pathname });
  const loaded = loadedLanguage(first.languages, pageLanguage);
  // Pagefind skips a merge whose path matches its own bundle path, which it
  // keeps as a path; the absolute URL names the same bundle and makes it load
  // another language's index from it as well. Merges are requested in a
  // fixed order, so results of equal score always come in the same order.
  const merges = [];
  for (const shard of shards) {
    for (const language of Object.keys(shard.languages).sort()) {
      if (shard !== first || language !== loaded) {
        merges.push(pagefind.mergeIndex(shard.url.href, { language, baseUrl: siteRoot.pathname }));
      }
    }
  }
  await Promise.all(merges);
  return pagefind;
}

// Pagefind's excerpts are HTML: escaped text with <mark> around the matches.
// Copy only the text and the <mark> elements, so nothing else can render.
function excerptNodes(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const nodes = [];
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

// An excerpt of plain text around the first of `words`, each of them marked.
function wordExcerptNodes(content, words) {
  const at = Math.min(...words.map((word) => content.indexOf(word)).filter((i) => i >= 0));
  const start = Math.max(0, at - EXCERPT_BEFORE);
  const text = content.slice(start, at + EXCERPT_AFTER);
  const nodes = start > 0 ? [document.createTextNode("…")] : [];
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    nodes.push(document.createTextNode(text.slice(last, match.index)));
    const mark = document.createElement("mark");
    mark.textContent = match[0];
    nodes.push(mark);
    last = match.index + match[0].length;
  }
  nodes.push(document.createTextNode(text.slice(last) + (at + EXCERPT_AFTER < content.length ? "…" : "")));
  return nodes;
}

// The part of the page the words are in: the sub-result with the most
// matches, when it is a section of its own (a heading with an id).
function bestSection(data) {
  const sections = (data.sub_results || []).filter((sub) => sub.url !== data.url);
  let best = null;
  for (const sub of sections) {
    if (!best || (sub.locations || []).length > (best.locations || []).length) {
      best = sub;
    }
  }
  const page = (data.sub_results || []).find((sub) => sub.url === data.url);
  if (best && page && (page.locations || []).length > (best.locations || []).length) {
    return null;
  }
  return best;
}

function resultItem(data, words) {
  const item = document.createElement("li");
  item.className = "search-result";
  // Title, date and excerpt are all in the page's own language.
  if (data.meta.lang) {
    item.lang = data.meta.lang;
  }
  const heading = document.createElement("h2");
  heading.className = "search-result-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  if (data.meta.date) {
    const date = document.createElement("p");
    date.className = "search-result-meta";
    date.textContent = data.meta.date;
    item.append(date);
  }
  const section = words.length ? null : bestSection(data);
  if (section) {
    const where = document.createElement("p");
    where.className = "search-result-section";
    const sectionLink = document.createElement("a");
    sectionLink.href = section.url;
    sectionLink.textContent = section.title;
    where.append(sectionLink);
    item.append(where);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  if (words.length) {
    excerpt.append(...wordExcerptNodes(data.content, words));
  } else {
    excerpt.append(...excerptNodes((section || data).excerpt));
  }
  item.append(excerpt);
  return item;
}

let pagefindPromise = null;
let latest = 0;

async function findResults(pagefind, term) {
  const search = await pagefind.search(term);
  const words = term.match(CJK_RUN) || [];
  if (!words.length) {
    const shown = await Promise.all(
      search.results.slice(0, MAX_RESULTS).map((result) => result.data()),
    );
    return { count: search.results.length, shown, words };
  }
  const checked = await Promise.all(
    search.results.slice(0, MAX_CHECKED).map((result) => result.data()),
  );
  const matching = checked.filter((data) => words.every((word) => data.content.includes(word)));
  return { count: matching.length, shown: matching.slice(0, MAX_RESULTS), words };
}

async function runSearch(query) {
  const ticket = ++latest;
  const term = query.trim();
  if (!term) {
    list.replaceChildren();
    say(message("msgPrompt"));
    return;
  }
  say(message("msgSearching"));
  let found;
  try {
    found = await findResults(await pagefindPromise, term);
  } catch {
    say(message("msgFailed"));
    return;
  }
  if (ticket !== latest) {
    return; // a newer query has started; its results win
  }
  list.replaceChildren(...found.shown.map((data) => resultItem(data, found.words)));
  const count = found.count;
  const name = count === 0 ? "msgNone" : count === 1 ? "msgOne" : "msgMany";
  say(message(name, { count, query: term }));
}

function updateAddress(query) {
  const url = new URL(location.href);
  if (query.trim()) {
    url.searchParams.set("q", query.trim());
  } else {
    url.searchParams.delete("q");
  }
  history.replaceState(null, "", url);
}

pagefindPromise = loadPagefind();
pagefindPromise.then(
  () => {
    if (!input.value) {
      say(message("msgPrompt"));
    }
  },
  () => say(message("msgFailed")),
);

let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    updateAddress(input.value);
    runSearch(input.value);
  }, 150);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  updateAddress(input.value);
  runSearch(input.value);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  runSearch(initial);
}
