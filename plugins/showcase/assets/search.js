/* Search in Material's header box, answered by Pagefind (see plugins/showcase/search.py).

   Nothing is fetched until the reader opens the search: then pagefind.js, its
   WebAssembly and the index's metadata; each query fetches only the index chunks of
   its words and the fragments of the results shown. The query is tokenised like the
   index (each Chinese character a word, `1+5` one word `1‿5`, quotes ignored); Pagefind
   ranks the pages holding every word, and its exact search keeps only those where
   each phrase occurs as written. Keys as in Material: / s f open, ↑ ↓ move, Enter
   opens, Esc closes. No regex look-behind: older iOS WebViews (WeChat) lack it. */
(function () {
  "use strict";

  var root = document.querySelector("[data-sc-search]");
  var toggle = document.querySelector("[data-md-toggle=search]");
  if (!root || !toggle) return;
  var input = root.querySelector("[data-sc-search-query]");
  var form = input.form;
  var meta = root.querySelector("#sc-search-status");
  var list = root.querySelector("#sc-search-results");
  var more = root.querySelector("[data-sc-search-more]");
  var filterBox = root.querySelector("[data-sc-search-filters]");
  var chosen = root.querySelector("[data-sc-search-chosen]");
  var selects = root.querySelectorAll("select[data-filter]");
  var strings = JSON.parse(root.getAttribute("data-sc-strings") || "{}");
  var config = {};
  try {
    config = JSON.parse(document.getElementById("__config").textContent);
  } catch (e) { /* Material always writes it; without it the site root is "." */ }
  var base = new URL(config.base || ".", location.href);
  var highlight = (config.features || []).indexOf("search.highlight") >= 0;
  var FIRST = 5, PAGE = 10;  // a phone shows three results at once: fetch five, then as it scrolls

  /* ---- the tokeniser: keep in step with search.py ---- */
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[\ud840-\ud8bf][\udc00-\udfff]/;
  var QUOTE = /[“”‘’「」『』《》〈〉【】〔〕（）()\[\]{}"']/;
  var WORD = /[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u203f.%_&@#$]/;
  var CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’\ud800-\udfff]/;

  function normalize(text) {
    return text
      .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0b]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      })
      .replace(/([0-9A-Za-z])\s*\+\s*(?=[0-9A-Za-z])/g, "$1\u203f");
  }

  /* "“1+5”建设 2345" → [["1‿5", "建", "设"], ["2345"]] */
  function phrases(text) {
    var out = [], phrase = [], word = "";
    function endWord() { if (word) { phrase.push(word.toLowerCase()); word = ""; } }
    function endPhrase() { endWord(); if (phrase.length) out.push(phrase); phrase = []; }
    for (var c of normalize(text)) {
      if (HAN.test(c)) { endWord(); phrase.push(c); }
      else if (c === "." && !/[0-9]$/.test(word)) endPhrase();
      else if (WORD.test(c)) word += c;
      else if (QUOTE.test(c)) endWord();
      else endPhrase();
    }
    endPhrase();
    return out;
  }

  /* The index's text back to the page's: no spaces around Chinese, `1‿5` → `1+5`. */
  function despace(text) {
    return text
      .replace(/(?:\s*¶)+\s*/g, "\u3000")                   // block ends
      .replace(/([。！？；：…])\u3000/g, "$1")
      .replace(/^\u3000+|\u3000+$/g, "")
      .replace(/ +/g, function (m, at, s) {
        return CJK.test(s.charAt(at - 1)) || CJK.test(s.charAt(at + m.length)) ? "" : m;
      })
      .replace(/\u203f/g, "+");
  }

  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  /* One pattern for every phrase, quotes and spaces allowed between its words. */
  function phrasePattern(list, escaped) {
    var gap = "[\\s“”‘’「」『』《》〈〉【】〔〕（）()\\[\\]{}\"']*";
    if (escaped) gap = "(?:\\s|&quot;|[“”‘’「」『』《》〈〉【】〔〕（）()\\[\\]{}'])*";
    var alts = list.map(function (p) {
      return p.map(function (t) { return escapeRe(t.replace(/\u203f/g, "+")); }).join(gap);
    });
    alts.sort(function (a, b) { return b.length - a.length; });
    return new RegExp("(" + alts.join("|") + ")", "giu");
  }

  function excerpt(content, title, pattern, escaped) {
    var text = despace(content);
    var at = -1, m;
    pattern.lastIndex = 0;
    while ((m = pattern.exec(text))) {
      if (at < 0) at = m.index;
      if (m.index > title.length) { at = m.index; break; }  // the title is shown already
      if (!m[0].length) pattern.lastIndex++;
    }
    if (at < 0) at = Math.min(text.length, title.length);
    var start = Math.max(0, at - 24), end = Math.min(text.length, at + 80);
    var cut = text.slice(start, at).search(/[。！？；\u3000][^。！？；\u3000]*$/);
    if (cut >= 0) start += cut + 1;
    var html = escapeHtml(text.slice(start, end));
    return (start > 0 ? "…" : "") + markEscaped(html, escaped) + (end < text.length ? "…" : "");
  }

  function markEscaped(html, pattern) {
    pattern.lastIndex = 0;
    return html.replace(pattern, "<mark>$1</mark>");
  }

  /* ---- Pagefind, loaded on first use ---- */
  var pagefind = null;
  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
        return pf.options({
          baseUrl: base.pathname,
          noWorker: true,  // one file less to fetch; a query's work takes milliseconds
          excerptLength: 40,
          ranking: { metaWeights: { title: 5, tags: 2, context: 0 } }
        }).then(function () { pf.init(); return pf; });
      });
      pagefind.catch(function (e) {
        console.warn("search: Pagefind could not be loaded", e);
        setMeta(strings.unavailable);
      });
    }
    return pagefind;
  }

  var state = { run: 0, results: [], shown: 0, phrases: [], pattern: null, filters: {} };

  function setMeta(text) { meta.textContent = text; }
  function count(n) {
    if (n === 0) return strings.none;
    if (n === 1) return strings.one;
    return (strings.other || "#").replace("#", n);
  }

  function activeFilters() {
    var f = {};
    selects.forEach(function (s) { if (s.value) f[s.getAttribute("data-filter")] = s.value; });
    return f;
  }

  /* The query a finished search answered, for tests and scripts waiting on it. */
  function done(run, value) {
    if (run === state.run) root.setAttribute("data-sc-done", value);
  }

  function run() {
    var run = ++state.run;
    var value = input.value;
    var found = phrases(value);
    var words = [].concat.apply([], found);
    list.innerHTML = "";
    more.hidden = true;
    root.removeAttribute("data-sc-done");
    if (!words.length) { setMeta(strings.placeholder); done(run, value); return; }
    setMeta(strings.initializer);
    var filters = activeFilters();
    load().then(function (pf) {
      return pf.search(words.join(" "), { filters: filters }).then(function (ranked) {
        var checks = found.filter(function (p) { return p.length > 1; }).map(function (p) {
          return exact(pf, p, filters);
        });
        return Promise.all(checks).then(function (sets) {
          var results = ranked.results.filter(function (r) {
            return sets.every(function (ids) { return ids === null || ids.has(r.id); });
          });
          if (run !== state.run) return;
          state.results = results;
          state.shown = 0;
          state.phrases = found;
          state.pattern = phrasePattern(found, false);
          state.escaped = phrasePattern(found, true);
          setMeta(count(results.length));
          return showMore(run).then(function () { done(run, value); });
        });
      });
    }).catch(function (e) {
      if (run !== state.run) return;
      console.warn("search:", e);
      setMeta(strings.unavailable);
      done(run, value);
    });
  }

  /* Ids of pages where the phrase occurs as written; null when it cannot be checked. */
  function exact(pf, phrase, filters) {
    return pf.search('"' + phrase.join(" ") + '"', { filters: filters }).then(function (r) {
      if (r.results.length || !/[0-9a-z]$/.test(phrase[phrase.length - 1])) {
        return new Set(r.results.map(function (x) { return x.id; }));
      }
      // the last word may still be typed (“骨干教师 lo…”): check the phrase before it
      return phrase.length > 2 ? exact(pf, phrase.slice(0, -1), filters) : null;
    });
  }

  function showMore(run) {
    var slice = state.results.slice(state.shown, state.shown + (state.shown ? PAGE : FIRST));
    state.shown += slice.length;
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
      if (run !== state.run) return;
      data.forEach(function (d) { list.appendChild(render(d)); });
      more.hidden = state.shown >= state.results.length;
    });
  }

  function link(url) {
    var u = new URL(url, location.href);
    if (highlight) {
      u.searchParams.set("h", state.phrases.map(function (p) { return p.join(""); }).join(" ").replace(/\u203f/g, "+"));
    }
    return u.pathname + u.search + u.hash;
  }

  function render(d) {
    var title = despace((d.meta && d.meta.title) || d.url);
    var context = d.meta && d.meta.context ? despace(d.meta.context.replace(/^\u203f/, "")) : "";
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var html =
      '<a href="' + escapeHtml(link(d.url)) + '" class="md-search-result__link" tabindex="-1">' +
      '<article class="md-search-result__article md-search-result__article--document md-typeset">' +
      '<div class="md-search-result__icon md-icon"></div>' +
      "<h1>" + markEscaped(escapeHtml(title), state.escaped) + "</h1>" +
      (context ? '<p class="sc-search-result__context">' + escapeHtml(context) + "</p>" : "") +
      "<p>" + excerpt(d.content || "", title, state.pattern, state.escaped) + "</p></article></a>";
    var subs = (d.sub_results || []).filter(function (s) {
      return s.url.indexOf("#") > 0 && despace(s.title || "") !== title;  // not the h1 again
    });
    var shown = 0;
    subs.forEach(function (s) {
      if (shown >= 2) return;
      var heading = escapeHtml(despace(s.title || ""));
      var text = despace(s.excerpt.replace(/<\/?mark>/g, ""));
      if (heading && text.indexOf(heading) === 0) text = text.slice(heading.length).replace(/^\u3000/, "");
      else text = "…" + text;
      state.escaped.lastIndex = 0;
      if (!state.escaped.test(text)) return;
      shown++;
      html +=
        '<a href="' + escapeHtml(link(s.url)) + '" class="md-search-result__link" tabindex="-1">' +
        '<article class="md-search-result__article md-typeset">' +
        "<h2>" + heading + "</h2>" +
        "<p>" + markEscaped(text, state.escaped) + "</p></article></a>";
    });
    li.innerHTML = html;
    return li;
  }

  /* ---- filters: 所属区县, 类别, 申报年度 ---- */
  var filtersLoaded = false;
  function loadFilters() {
    if (filtersLoaded) return;
    filtersLoaded = true;
    load().then(function (pf) { return pf.filters(); }).then(function (all) {
      selects.forEach(function (s) {
        var values = Object.keys(all[s.getAttribute("data-filter")] || {});
        values.sort(function (a, b) { return /^\d+$/.test(a + b) ? b - a : a.localeCompare(b, "zh"); });
        values.forEach(function (v) {
          var o = document.createElement("option");
          o.value = o.textContent = v;
          s.appendChild(o);
        });
      });
    }).catch(function () { filtersLoaded = false; });
  }
  filterBox.addEventListener("toggle", function () { if (filterBox.open) loadFilters(); });
  selects.forEach(function (s) {
    s.addEventListener("change", function () {
      var values = [];
      selects.forEach(function (x) { if (x.value) values.push(x.value); });
      chosen.textContent = values.length ? "：" + values.join(" · ") : "";
      run();
    });
  });

  /* ---- Material's behaviour: toggle, keys, IME ---- */
  function open(value) {
    if (toggle.checked !== value) toggle.click();  // Material's own way: emits `change`
  }
  input.addEventListener("focus", function () { open(true); load(); });
  document.querySelectorAll("label[for=__search]").forEach(function (label) {
    label.addEventListener("click", function () { setTimeout(function () { input.focus(); }); });
  });
  var composing = false, timer = 0;
  input.addEventListener("compositionstart", function () { composing = true; });
  input.addEventListener("compositionend", function () { composing = false; schedule(); });
  input.addEventListener("input", function (e) { if (!composing && !e.isComposing) schedule(); });
  function schedule() {
    clearTimeout(timer);
    var words = [].concat.apply([], phrases(input.value));
    if (words.length && pagefind) pagefind.then(function (pf) { pf.preload(words.join(" ")); });
    timer = setTimeout(run, 150);
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(); input.focus(); });
  });
  more.addEventListener("click", function () { showMore(state.run); });
  if (window.IntersectionObserver) {
    var loading = false;
    new IntersectionObserver(function (entries) {
      if (loading || more.hidden || !entries.some(function (e) { return e.isIntersecting; })) return;
      loading = true;
      showMore(state.run).then(function () { loading = false; }, function () { loading = false; });
    }).observe(more);
  }
  root.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a.md-search-result__link")) open(false);
  });

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  window.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var active = document.activeElement;
    if (!toggle.checked) {
      if ((e.key === "/" || e.key === "s" || e.key === "f") && !editable(active)) {
        e.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    var links = [input].concat([].slice.call(list.querySelectorAll("a[href]")));
    switch (e.key) {
      case "Enter":
        if (active === input) {
          e.preventDefault();
          if (links[1]) links[1].click();
        }
        break;
      case "Escape":
        open(false);
        input.blur();
        break;
      case "ArrowUp":
      case "ArrowDown":
        if (active && active.tagName === "SELECT") break;
        var i = Math.max(0, links.indexOf(active));
        i = (i + links.length + (e.key === "ArrowUp" ? -1 : 1)) % links.length;
        links[i].focus();
        e.preventDefault();
        break;
      default:  // typing on a result goes on in the box, as in Material
        if (e.key.length === 1 && active !== input && !editable(active)) input.focus();
    }
  });
  /* Tab moves through the box, 筛选 and the results; leaving them closes the search */
  root.addEventListener("focusout", function (e) {
    if (toggle.checked && e.relatedTarget && !root.contains(e.relatedTarget)) open(false);
  });
  toggle.addEventListener("change", function () {
    list.setAttribute("role", toggle.checked ? "list" : "presentation");
  });

  /* ---- deep links: ?q= opens the search, ?h= marks the words on the page ---- */
  var params = new URLSearchParams(location.search);
  if (params.has("q")) {
    input.value = params.get("q");
    input.focus();
    run();
  }
  if (params.has("h")) markPage(params.get("h"));

  function markPage(text) {
    var found = phrases(text);
    var article = document.querySelector("article.md-content__inner");
    if (!found.length || !article) return;
    var pattern = phrasePattern(found, false);
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      pattern.lastIndex = 0;
      var text = node.nodeValue, m, last = 0, frag = null;
      while ((m = pattern.exec(text))) {
        if (!m[0].length) { pattern.lastIndex++; continue; }
        frag = frag || document.createDocumentFragment();
        frag.appendChild(document.createTextNode(text.slice(last, m.index)));
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = m[0];
        frag.appendChild(mark);
        last = m.index + m[0].length;
      }
      if (frag) {
        frag.appendChild(document.createTextNode(text.slice(last)));
        node.parentNode.replaceChild(frag, node);
      }
    });
  }

  window.showcaseSearch = { phrases: phrases, despace: despace };  // for the tests
})();
