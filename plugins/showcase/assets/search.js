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
  var CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’\u2014\u2026\ud800-\udfff]/;
  var QUOTES = /[“”‘’「」『』《》〈〉【】〔〕（）()\[\]{}"']/g;
  var JOINER = "\u203f";

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

  /* One pattern for every phrase (and with `parts` its parts of two words or more),
     quotes and spaces allowed between words. */
  function phrasePattern(list, escaped, parts) {
    var gap = "[\\s“”‘’「」『』《》〈〉【】〔〕（）()\\[\\]{}\"']*";
    if (escaped) gap = "(?:\\s|&quot;|[“”‘’「」『』《》〈〉【】〔〕（）()\\[\\]{}'])*";
    var alts = [];
    list.forEach(function (p) {  // the phrase, and its parts of two words or more
      p = p.slice(0, 16);
      for (var i = 0; i < p.length; i++) {
        for (var j = p.length; j > i + (p.length > 1 ? 1 : 0) && (parts || !i); j--) {
          var alt = p.slice(i, j).map(function (t) { return escapeRe(t.replace(/\u203f/g, "+")); }).join(gap);
          if (alts.indexOf(alt) < 0) alts.push(alt);
          if (!parts) break;
        }
      }
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

  /* ---- the engines, loaded when the box gets focus ----
     Over http(s) Pagefind: its module, WebAssembly and, per word, one index chunk.
     From file:// (the offline zip) the browser blocks all of that; there the same words
     come from one script, search/showcase-index.js. Both answer `lookup(word)`: the pages
     holding the word (a Latin word: a word starting with it), their score and positions. */
  var engine = null;
  function load() {
    if (!engine) {
      engine = location.protocol === "file:" ? localEngine() : pagefindEngine();
      engine.catch(function (e) {
        console.warn("search: the index could not be loaded", e);
        filterBox.hidden = true;  // nothing to filter
        setMeta(location.protocol === "file:" ? strings.local : strings.unavailable);
      });
    }
    return engine;
  }

  /* Pagefind's files (WebAssembly, metadata, index chunks, fragments) are gzip inside;
     pagefind.js inflates them in JavaScript, which on a slow phone costs more than the
     search itself (a chunk ≈ 20 ms, the WebAssembly ≈ 80 ms at CPU 4× slower). The
     browser's own DecompressionStream does it natively: their responses reach Pagefind
     inflated, with the signature Pagefind then takes as already done (`pagefind_dcd`).
     Only the bundle's own files are touched; anything else, or an error, goes through
     as fetched (Pagefind then inflates it itself). */
  var BUNDLE_FILE = /\.(?:pagefind|pf_meta|pf_index|pf_fragment|pf_filter)$/;
  function inflateBundle(bundle) {
    if (!window.DecompressionStream || !window.fetch || !window.Response || !window.Blob) return;
    var plain = window.fetch;
    window.fetch = function (input, init) {
      var url = typeof input === "string" ? input : input && input.url;
      var abs = null;
      try { abs = new URL(url, location.href); } catch (e) { /* not ours */ }
      var sent = plain.apply(window, arguments);
      if (!abs || abs.href.indexOf(bundle) !== 0 || !BUNDLE_FILE.test(abs.pathname)) return sent;
      return sent.then(function (r) {
        if (!r.ok) return r;
        return r.arrayBuffer().then(function (buf) {
          var head = new Uint8Array(buf, 0, Math.min(2, buf.byteLength));
          var asFetched = function () { return new Response(buf, { status: r.status }); };
          if (head[0] !== 0x1f || head[1] !== 0x8b) return asFetched();
          var stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"));
          return new Response(stream).arrayBuffer().then(function (inflated) {
            var sign = new TextDecoder().decode(new Uint8Array(inflated, 0, Math.min(12, inflated.byteLength)));
            return sign === "pagefind_dcd" ? new Response(inflated, { status: r.status }) : asFetched();
          }, asFetched);
        });
      });
    };
  }

  function pagefindEngine() {
    inflateBundle(new URL("pagefind/", base).href);
    var common = fetch(new URL("pagefind/showcase-common.txt", base)).then(function (r) {
      return r.ok ? r.text() : "";
    }).catch(function () { return ""; });
    return import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
      return pf.options({
        baseUrl: base.pathname,
        noWorker: true,  // one file less to fetch; a query's work takes milliseconds
        excerptLength: 40,
        ranking: { metaWeights: { names: 10, title: 5, tags: 2, context: 0 } }
      }).then(function () {
        pf.init();
        return common;
      }).then(function (chars) {
        return {
          common: new Map(Array.from(chars).map(function (c, i) { return [c, i]; })),
          lookup: function (word, filters) {
            return pf.search(word, { filters: filters }).then(function (r) {
              var hits = new Map();
              r.results.forEach(function (x) {
                hits.set(x.id, { score: x.score, words: x.words, meta: x.matchedMetaFields || [], data: x.data });
              });
              return hits;
            });
          },
          preload: function (text) { return pf.preload(text); },
          filters: function () { return pf.filters(); },
          t2s: function () {
            return fetch(new URL("pagefind/showcase-t2s.txt", base)).then(function (r) {
              return r.ok ? r.text() : "";
            });
          }
        };
      });
    });
  }

  function localEngine() {
    return new Promise(function (resolve, reject) {
      if (window.showcaseIndex) { resolve(window.showcaseIndex); return; }
      var script = document.createElement("script");
      script.src = new URL("search/showcase-index.js", base).href;
      script.onload = function () {
        if (window.showcaseIndex) resolve(window.showcaseIndex); else reject(new Error("empty"));
      };
      script.onerror = function () { reject(new Error("search/showcase-index.js is missing")); };
      document.head.appendChild(script);
    }).then(function (records) {
      filterBox.hidden = true;  // the offline records carry no filters: a school's own zip
      var postings = new Map();  // word → Map(page → {tf, words, meta})
      function add(text, page, field) {
        text.split(" ").forEach(function (raw, at) {
          var word = raw.replace(QUOTES, "").toLowerCase();
          if (!word || word === "¶") return;
          if (!postings.has(word)) postings.set(word, new Map());
          var pages = postings.get(word);
          if (!pages.has(page)) pages.set(page, { tf: 0, words: [], meta: [] });
          var p = pages.get(page);
          if (field) { if (p.meta.indexOf(field) < 0) p.meta.push(field); }
          else { p.tf++; p.words.push(at); }
        });
      }
      records.forEach(function (r, i) {
        add(r.x, i, "");
        add(r.t, i, "title");
        if (r.k) add(r.k, i, "names");
      });
      var vocabulary = Array.from(postings.keys());
      var n = records.length;
      return {
        lookup: function (word) {
          var keys = HAN.test(word) ? [word] : vocabulary.filter(function (k) { return k.indexOf(word) === 0; });
          var hits = new Map();
          keys.forEach(function (key) {
            var pages = postings.get(key);
            if (!pages) return;
            var idf = Math.log(1 + n / pages.size);
            pages.forEach(function (p, page) {
              var score = idf * (p.tf / (p.tf + 1.2));
              if (p.meta.indexOf("title") >= 0) score += 5 * idf;
              if (p.meta.indexOf("names") >= 0) score += 10 * idf;
              var hit = hits.get(page);
              if (hit) { hit.score += score; hit.words = hit.words.concat(p.words); return; }
              var r = records[page];
              hits.set(page, {
                score: score, words: p.words.slice(), meta: p.meta,
                data: function () {
                  return Promise.resolve({
                    url: new URL(r.u, base).href,
                    meta: { title: r.t, context: r.c ? JOINER + r.c : "" },
                    content: r.x, sub_results: []
                  });
                }
              });
            });
          });
          return Promise.resolve(hits);
        },
        common: new Map(),
        preload: function () { return Promise.resolve(); },
        filters: function () { return Promise.resolve({}); },
        t2s: function () { return Promise.resolve(window.showcaseT2S || ""); }
      };
    });
  }

  /* ---- matching: phrases as written first, then their parts, then one slip ----
     Readers type Chinese without spaces (柳塘湾应急演练): a phrase is found as written, or
     as parts of two or more characters that each occur as written (柳塘湾 … 应急演练), or
     with one character missing or wrong (柳塘弯小学). Ranked in that order, then by
     Pagefind's score (BM25 with the weights above: a name before a title). */
  var lookups = new Map();
  function lookup(en, word, filters) {
    var key = word + "\u0000" + JSON.stringify(filters);
    if (!lookups.has(key)) {
      if (lookups.size > 300) lookups.clear();
      lookups.set(key, en.lookup(word, filters));
    }
    return lookups.get(key);
  }

  /* How `phrase` fits a page, given each word's hit there: {pieces, slips} or null. */
  function fit(phrase, hits) {
    var n = phrase.length, j, l;
    if (n === 1) return hits[0] ? { pieces: 1, slips: 0 } : null;
    if (hits.every(function (h) { return h && h.meta.indexOf("names") >= 0; })) {
      return { pieces: 1, slips: 0 };  // the page's own name (project, school, branch)
    }
    var sets = hits.map(function (h) { return h && h.words.length ? new Set(h.words) : null; });
    var run = [];
    for (j = 0; j < n; j++) {
      var longest = hits[j] ? 1 : 0;
      if (sets[j]) {
        sets[j].forEach(function (x) {
          var k = 1;
          while (j + k < n && sets[j + k] && sets[j + k].has(x + k)) k++;
          if (k > longest) longest = k;
        });
      }
      run.push(longest);
    }
    var allowed = n >= 3 ? 1 : 0, INF = 1e9, dp = [];
    for (j = 0; j <= n; j++) dp.push([INF, INF]);
    dp[0][0] = 0;
    for (j = 0; j < n; j++) {
      for (var s = 0; s <= allowed; s++) {
        var cur = dp[j][s];
        if (cur >= INF) continue;
        if (s < allowed) dp[j + 1][s + 1] = Math.min(dp[j + 1][s + 1], cur);  // missing
        for (l = 1; l <= run[j]; l++) {
          var loose = l === 1 && HAN.test(phrase[j]);  // one character alone is no part
          var s2 = s + (loose ? 1 : 0);
          if (s2 <= allowed) dp[j + l][s2] = Math.min(dp[j + l][s2], cur + (loose ? 0 : 1));
        }
      }
    }
    if (dp[n][0] < INF) return { pieces: dp[n][0], slips: 0 };
    if (allowed && dp[n][1] < INF && dp[n][1] > 0) return { pieces: dp[n][1], slips: 1 };
    return null;
  }

  /* A common character's hits on the pages of a rarer word `anchor` only: Pagefind's
     answer for “党 柳” is small where the one for “党” lists most of the site. The
     character's positions there are the answer's minus the anchor's own. */
  function lookupBeside(en, word, anchor, anchorHits, filters) {
    var key = word + "\u0001" + anchor + "\u0000" + JSON.stringify(filters);
    if (!lookups.has(key)) {
      lookups.set(key, en.lookup(word + " " + anchor, filters).then(function (both) {
        var hits = new Map();
        both.forEach(function (hit, id) {
          var own = anchorHits.get(id);
          if (!own) return;
          var skip = new Set(own.words);
          hits.set(id, {
            score: Math.max(0, hit.score - own.score),
            words: hit.words.filter(function (x) { return !skip.has(x); }),
            meta: [],  // the fields matched may be the anchor's: only positions count
            data: hit.data
          });
        });
        return hits;
      }));
    }
    return lookups.get(key);
  }

  /* Every word's hits, as a Map word → hits. A common word is looked up beside the two
     rarest words (a page missing both misses two words: no match). `early` is called
     first with the common words' hits beside the rarest word alone: enough to rank
     every page holding that word, and a page without it has used its one slip. */
  function lookupAll(en, words, filters, early) {
    var heavy = words.filter(function (w) { return en.common.has(w); });
    heavy.sort(function (a, b) { return en.common.get(b) - en.common.get(a); });  // rarest first
    var light = words.filter(function (w) { return !en.common.has(w); });
    // two anchors at least: the wrong character of a slip may be the only rare one
    while (light.length < 3 && heavy.length) light.push(heavy.shift());
    return Promise.all(light.map(function (w) { return lookup(en, w, filters); })).then(function (maps) {
      var of = new Map();
      light.forEach(function (w, i) { of.set(w, maps[i]); });
      var anchors = light.filter(function (w) { return of.get(w).size; });
      anchors.sort(function (a, b) { return of.get(a).size - of.get(b).size; });
      anchors = anchors.slice(0, 2);
      function beside(list) {
        return Promise.all(heavy.map(function (w) {
          if (!list.length) return lookup(en, w, filters);
          return Promise.all(list.map(function (a) {
            return lookupBeside(en, w, a, of.get(a), filters);
          })).then(function (parts) {
            var hits = new Map(parts[0]);
            if (parts[1]) parts[1].forEach(function (h, id) { if (!hits.has(id)) hits.set(id, h); });
            hits.partial = true;  // the anchors' pages only: an empty answer is no unknown word
            return hits;
          });
        })).then(function (heavyMaps) {
          var all = new Map(of);
          heavy.forEach(function (w, i) { all.set(w, heavyMaps[i]); });
          return all;
        });
      }
      if (!early || anchors.length < 2 || !heavy.length) return beside(anchors);
      return beside(anchors.slice(0, 1)).then(function (firstOf) {
        // the rest waits for that first result: both would share one slow CPU
        return Promise.resolve(early(firstOf, anchors[0])).then(function () { return beside(anchors); });
      });
    });
  }

  function rank(en, found, filters, onFirst) {
    var words = [];
    found.forEach(function (p) { p.forEach(function (w) { if (words.indexOf(w) < 0) words.push(w); }); });
    function order(of) {
      var maps = words.map(function (w) { return of.get(w); });
      var candidates = new Set();
      maps.forEach(function (m) { m.forEach(function (h, id) { candidates.add(id); }); });
      var results = [];
      candidates.forEach(function (id) {
        var tier = 0, pieces = 0;
        for (var i = 0; i < found.length; i++) {
          var f = fit(found[i], found[i].map(function (w) { return of.get(w).get(id); }));
          if (!f) return;
          pieces += f.pieces;
          tier = Math.max(tier, f.slips ? 2 : f.pieces > 1 ? 1 : 0);
        }
        var score = 0, best = null, rarest = Infinity;
        words.forEach(function (w) {
          var hit = of.get(w).get(id);
          if (!hit) return;
          score += hit.score;
          if (of.get(w).size < rarest) { rarest = of.get(w).size; best = hit; }
        });
        results.push({ id: id, tier: tier, pieces: pieces, score: score, hit: best });
      });
      results.sort(function (a, b) { return a.tier - b.tier || a.pieces - b.pieces || b.score - a.score; });
      return {
        results: results,
        unknown: words.some(function (w) { return HAN.test(w) && !of.get(w).size && !of.get(w).partial; })
      };
    }
    // the best page holding the rarest word, if it matched without a slip, is the best
    // of all (a page without that word has used its slip): shown before the rest is ranked
    var early = onFirst && function (of, anchor) {
      var best = order(of).results.filter(function (r) { return of.get(anchor).has(r.id); })[0];
      return best && best.tier < 2 ? onFirst(best) : null;
    };
    return lookupAll(en, words, filters, early).then(order);
  }

  /* Traditional characters (鳳鳴山中學) read as simplified: OpenCC's table, kept to the
     site's characters. Over http(s) the table comes in small files by character, those
     of the query's characters fetched while the engine starts (they leave out what the
     site itself writes, so a character found there is one the index lacks); offline the
     whole table is in the index script, used when a query holds a character the index
     lacks. */
  var SHARDS = 32, shards = new Map();
  function shardPairs(chars) {
    if (location.protocol === "file:" || !window.fetch) return null;
    var files = [];
    chars.forEach(function (c) {
      var name = ("0" + (c.codePointAt(0) % SHARDS)).slice(-2) + ".txt";
      if (files.indexOf(name) < 0) files.push(name);
    });
    return Promise.all(files.map(function (name) {
      if (!shards.has(name)) {
        shards.set(name, fetch(new URL("pagefind/showcase-t2s/" + name, base)).then(function (r) {
          return r.ok ? r.text() : null;
        }).catch(function () { shards.delete(name); return null; }));
      }
      return shards.get(name);
    })).then(function (texts) {
      if (texts.indexOf(null) >= 0) return null;  // an older bundle: the whole table, as offline
      var table = new Map(), pairs = Array.from(texts.join(""));
      for (var i = 0; i + 1 < pairs.length; i += 2) table.set(pairs[i], pairs[i + 1]);
      return table;
    });
  }
  function queryChars(found) {
    var chars = [];
    found.forEach(function (p) { p.forEach(function (w) { if (HAN.test(w) && chars.indexOf(w) < 0) chars.push(w); }); });
    return chars;
  }

  var t2s = null;
  function simplify(found, table) {
    table = table || t2s;
    if (!table) return found;
    return found.map(function (p) { return p.map(function (w) { return table.get(w) || w; }); });
  }
  function search(en, found, filters, early, onFirst) {
    return (early || Promise.resolve(null)).then(function (table) {
      if (!table) return fullSearch(en, found, filters);
      var simple = simplify(found, table);
      var first = onFirst && function (r) { return onFirst(r, simple); };
      return rank(en, simple, filters, first).then(function (a) { return { answer: a, found: simple }; });
    });
  }
  function fullSearch(en, found, filters) {
    return rank(en, simplify(found), filters).then(function (answer) {
      if (t2s || !answer.unknown) return { answer: answer, found: simplify(found) };
      return en.t2s().catch(function () { return ""; }).then(function (pairs) {
        t2s = new Map();
        var chars = Array.from(pairs);
        for (var i = 0; i + 1 < chars.length; i += 2) t2s.set(chars[i], chars[i + 1]);
        var simple = simplify(found);
        if (JSON.stringify(simple) === JSON.stringify(found)) return { answer: answer, found: found };
        return rank(en, simple, filters).then(function (a) { return { answer: a, found: simple }; });
      });
    });
  }

  var state = { run: 0, value: "", results: [], shown: 0, phrases: [], patterns: [], filters: {} };

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

  /* The query a finished search answered (and whose first result or answer is shown),
     for tests and scripts waiting on it. */
  function done(run, value) {
    if (run === state.run) { shown(run); root.setAttribute("data-sc-done", value); }
  }
  function shown(run) {
    if (run === state.run && !root.hasAttribute("data-sc-shown")) {
      root.setAttribute("data-sc-shown", state.value);
    }
  }

  function run() {
    var run = ++state.run;
    var value = state.value = input.value;
    var found = phrases(value), total = 0;
    found = found.map(function (p) { p = p.slice(0, Math.max(0, 32 - total)); total += p.length; return p; })
      .filter(function (p) { return p.length; });  // a pasted paragraph: its first 32 words
    list.innerHTML = "";
    more.hidden = true;
    root.removeAttribute("data-sc-done");
    root.removeAttribute("data-sc-shown");
    if (!found.length) { setMeta(strings.placeholder); done(run, value); return; }
    setMeta(strings.initializer);
    var early = shardPairs(queryChars(found));
    var painted = null;  // the first result, when it is known before the others are ranked
    function paintFirst(r, simple) {
      if (run !== state.run || painted) return;
      painted = r.hit.data().then(function (d) {
        if (run !== state.run || list.firstChild) return null;
        setPatterns(simple);
        list.appendChild(render(d, state.patterns[r.tier ? 1 : 0]));
        shown(run);
        return r.id;
      }).catch(function () { return null; });
      return painted.then(paint);  // drawn on the screen before the ranking goes on
    }
    load().then(function (en) {
      return search(en, found, activeFilters(), early, paintFirst).then(function (got) {
        return Promise.resolve(painted).then(function (first) {
          if (run !== state.run) return;
          state.results = got.answer.results;
          state.shown = 0;
          setPatterns(got.found);
          setMeta(count(state.results.length));
          if (first && state.results.length && state.results[0].id === first) state.shown = 1;
          else list.innerHTML = "";  // (the ranking has the first result painted: kept)
          return showMore(run).then(function () { done(run, value); });
        });
      });
    }).catch(function (e) {
      if (run !== state.run) return;
      console.warn("search:", e);
      setMeta(location.protocol === "file:" ? strings.local : strings.unavailable);
      done(run, value);
    });
  }

  /* Each result is shown as soon as it and those above it have arrived. The first one
     is fetched alone and painted before the others are fetched: each fragment costs a
     slow phone tens of milliseconds to read, which the reader would wait out. */
  function paint() {
    return new Promise(function (resolve) {
      var timer = setTimeout(resolve, 50);  // no frames in a hidden tab
      if (window.requestAnimationFrame) {
        requestAnimationFrame(function () { clearTimeout(timer); setTimeout(resolve); });
      }
    });
  }
  function setPatterns(found) {
    state.phrases = found;
    state.patterns = [false, true].map(function (parts) {  // as written / in parts
      return { plain: phrasePattern(found, false, parts), escaped: phrasePattern(found, true, parts) };
    });
  }

  function showMore(run) {
    var slice = state.results.slice(state.shown, state.shown < FIRST ? FIRST : state.shown + PAGE);
    state.shown += slice.length;
    var datas = [];
    function data(i) {
      if (!datas[i]) datas[i] = slice[i].hit.data();
      return datas[i];
    }
    var chain = Promise.resolve();
    slice.forEach(function (r, i) {
      chain = chain.then(function () { return data(i); }).then(function (d) {
        if (run !== state.run) return;
        list.appendChild(render(d, state.patterns[r.tier ? 1 : 0]));
        shown(run);
        if (i === 0) {
          return paint().then(function () {
            for (var k = 1; k < slice.length; k++) data(k);
          });
        }
      });
    });
    return chain.then(function () {
      if (run === state.run) more.hidden = state.shown >= state.results.length;
    });
  }

  function link(url) {
    var u = new URL(url, location.href);
    if (highlight) {
      u.searchParams.set("h", state.phrases.map(function (p) { return p.join(""); }).join(" ").replace(/\u203f/g, "+"));
    }
    return u.pathname + u.search + u.hash;
  }

  /* A result: marked as it matched (a page found in parts has its parts marked). */
  function render(d, pattern) {
    var title = despace((d.meta && d.meta.title) || d.url);
    var context = d.meta && d.meta.context ? despace(d.meta.context.replace(/^\u203f/, "")) : "";
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var html =
      '<a href="' + escapeHtml(link(d.url)) + '" class="md-search-result__link" tabindex="-1">' +
      '<article class="md-search-result__article md-search-result__article--document md-typeset">' +
      '<div class="md-search-result__icon md-icon"></div>' +
      "<h1>" + markEscaped(escapeHtml(title), pattern.escaped) + "</h1>" +
      (context ? '<p class="sc-search-result__context">' + escapeHtml(context) + "</p>" : "") +
      "<p>" + excerpt(d.content || "", title, pattern.plain, pattern.escaped) + "</p></article></a>";
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
      pattern.escaped.lastIndex = 0;
      if (!pattern.escaped.test(text)) return;
      shown++;
      html +=
        '<a href="' + escapeHtml(link(s.url)) + '" class="md-search-result__link" tabindex="-1">' +
        '<article class="md-search-result__article md-typeset">' +
        "<h2>" + heading + "</h2>" +
        "<p>" + markEscaped(text, pattern.escaped) + "</p></article></a>";
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
  input.addEventListener("focus", function () {  // the engine loads while the reader types
    open(true);
    load();
    if (input.value) schedule();
  });
  document.querySelectorAll("label[for=__search]").forEach(function (label) {
    label.addEventListener("click", function () { setTimeout(function () { input.focus(); }); });
  });
  var composing = false, timer = 0;
  input.addEventListener("compositionstart", function () { composing = true; });
  input.addEventListener("compositionend", function () { composing = false; schedule(); });
  input.addEventListener("input", function (e) { if (!composing && !e.isComposing) schedule(); });
  /* The index chunks of the typed characters are fetched as soon as typed: those of
     common characters (never traditional) at once, the others once the traditional
     table has said which character to fetch. The first input runs at once; input
     arriving while it runs (keys typed fast) is gathered for 60 ms. */
  var lastRun = 0;
  function schedule() {
    clearTimeout(timer);
    var found = phrases(input.value);
    var early = shardPairs(queryChars(found));  // the traditional table, as soon as typed
    if (found.length && engine) {
      var words = [].concat.apply([], found);
      engine.then(function (en) {
        var common = words.filter(function (w) { return en.common.has(w); });
        if (common.length) en.preload(common.join(" "));
        return Promise.resolve(early).then(function (table) {
          en.preload([].concat.apply([], simplify(found, table)).join(" "));
        });
      }).catch(function () { /* run() says so */ });
    }
    var now = Date.now();
    timer = setTimeout(function () { lastRun = Date.now(); run(); }, now - lastRun > 300 ? 0 : 60);
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
      case "Escape":  // as Material: the search closes and focus goes back to the page
        open(false);
        if (active && root.contains(active)) active.blur();
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
    input.value = rawParam("q");  // ?q=1+5 means “1+5”: a + is no space here
    input.focus();
    run();
  }
  if (params.has("h")) markPage(rawParam("h"));

  function rawParam(name) {
    var m = location.search.match(new RegExp("[?&]" + name + "=([^&]*)"));
    try { return decodeURIComponent(m ? m[1] : ""); } catch (e) { return params.get(name); }
  }

  /* ---- opened from file:// (an unpacked zip): folders have no index page there ----
     The web-server zip links to folders (projects/x/); the browser would list the folder.
     The offline zip links to files already. */
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^(?![a-z]+:|\/\/|#)[^?#]*\/(?:[?#]|$)/i.test(href) || href === "." || href === "..") {
        a.setAttribute("href", href.replace(/^(\.\.?)$/, "$1/").replace(/^([^?#]*\/)/, "$1index.html"));
      }
    });
  }

  function markPage(text) {
    var found = phrases(text);
    var article = document.querySelector("article.md-content__inner");
    if (!found.length || !article) return;
    var pattern = phrasePattern(found, false, true);
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
