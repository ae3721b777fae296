// Site search: queries the Pagefind index that the build writes, entirely in
// the browser. Loaded only by the search page, as a module (never inline), so
// the page's Content-Security-Policy needs only 'wasm-unsafe-eval' on top of
// the site-wide one.
//
// Pagefind keeps one index per language (from each page's <html lang>) and
// loads the one matching the page it runs on. The search page is English, so
// the index of every other language is merged in as well: a Chinese word finds
// Chinese essays, an English word English ones.

const form = document.querySelector("form[data-search-bundle]");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const MAX_RESULTS = 20;

const bundleUrl = new URL(form.dataset.searchBundle, document.baseURI);
const siteRoot = new URL(form.dataset.searchRoot, document.baseURI);

function say(text) {
  status.textContent = text;
}

async function loadPagefind() {
  const pagefind = await import(new URL("pagefind.js", bundleUrl).href);
  // Result URLs are site-relative; prefix the site's own path so a deploy
  // under a sub-path links to the right place.
  await pagefind.options({ baseUrl: siteRoot.pathname });
  const entry = await (await fetch(new URL("pagefind-entry.json", bundleUrl))).json();
  const pageLanguage = document.documentElement.lang.toLowerCase();
  for (const language of Object.keys(entry.languages).sort()) {
    if (language !== pageLanguage) {
      // Pagefind skips a merge whose path matches its own bundle path, which
      // it keeps as a path; the absolute URL names the same bundle and makes
      // it load this language's index as well.
      await pagefind.mergeIndex(bundleUrl.href, { language, baseUrl: siteRoot.pathname });
    }
  }
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

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
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
    date.className = "search-result-date";
    date.textContent = data.meta.date;
    item.append(date);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(excerpt);
  return item;
}

let pagefindPromise = null;
let latest = 0;

async function runSearch(query) {
  const ticket = ++latest;
  const term = query.trim();
  if (!term) {
    list.replaceChildren();
    say("Type a word or phrase to search every essay.");
    return;
  }
  say("Searching…");
  let search;
  let results;
  try {
    const pagefind = await pagefindPromise;
    search = await pagefind.search(term);
    results = await Promise.all(
      search.results.slice(0, MAX_RESULTS).map((result) => result.data()),
    );
  } catch {
    say("Search could not load. Find essays in the archives or by topic instead.");
    return;
  }
  if (ticket !== latest) {
    return; // a newer query has started; its results win
  }
  list.replaceChildren(...results.map(resultItem));
  const count = search.results.length;
  say(
    count === 0
      ? `No essays match “${term}”.`
      : `${count} ${count === 1 ? "essay matches" : "essays match"} “${term}”.`,
  );
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
      say("Type a word or phrase to search every essay.");
    }
  },
  () => say("Search could not load. Find essays in the archives or by topic instead."),
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
