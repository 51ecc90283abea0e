/* Arabic search: wires ArSearchEngine into Material's search box.
 * Material's own search plugin is off, so this does what its bundle would:
 * the search toggle, results in Material's markup, and the keys
 * s / f / "/" (focus), arrows, Enter and Escape. Index files load through
 * <script> tags only, so the site searches over HTTP and from file:// alike. */
(function () {
  "use strict";

  var E = window.ArSearchEngine;
  var P = window.ArPlurals;
  var PAGE = 10;
  var TEXT = {
    "search.result.placeholder": "اكتب لبدء البحث",
    "search.result.none": "لا توجد نتائج",
    // Material's Arabic count strings («نتائج البحث # مستندات») take one plural form for
    // every number; the count is written by ArPlurals (plurals.js) instead.
    count: "نتائج البحث: #",
    error: "تعذّر تحميل فهرس البحث",
    checking: "جارٍ التحقق من العبارة…",
  };

  function config() {
    var el = document.getElementById("__config");
    try {
      return el ? JSON.parse(el.textContent) : {};
    } catch (_) {
      return {};
    }
  }

  function translate(cfg, key, value) {
    var text = (cfg.translations && cfg.translations[key]) || TEXT[key] || "";
    return value === undefined ? text : text.replace("#", String(value));
  }

  // Script-tag loader: each index file calls __arSearchData(kind, id, data).
  var store = {};
  var pending = {};
  window.__arSearchData = function (kind, id, data) {
    store[kind + "/" + id] = data;
  };
  function loader(base) {
    return function (kind, id) {
      var key = kind + "/" + id;
      if (key in store) return Promise.resolve(store[key]);
      if (!(key in pending)) {
        pending[key] = new Promise(function (resolve) {
          var script = document.createElement("script");
          var path = kind === "manifest" ? "search/manifest.js" : "search/" + kind + "/" + id + ".js";
          script.src = new URL(path, base).href;
          script.async = true;
          script.onload = function () {
            resolve(key in store ? store[key] : null);
            script.remove();
          };
          script.onerror = function () {
            // A shard no term hashed to is never written: treat as empty.
            delete pending[key];
            resolve(null);
            script.remove();
          };
          document.head.appendChild(script);
        });
      }
      return pending[key];
    };
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function marked(parts) {
    return parts.map(function (p) {
      return p.mark ? el("mark", {}, [p.text]) : document.createTextNode(p.text);
    });
  }

  function formatDate(iso) {
    if (!iso) return "";
    try {
      var d = new Date(iso + "T00:00:00Z");
      return new Intl.DateTimeFormat("ar", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(d);
    } catch (_) {
      return iso;
    }
  }

  function setup(box) {
    if (box.__arSearch) return;
    box.__arSearch = true;
    var cfg = config();
    var base = new URL(cfg.base || ".", location.href);
    if (!/\/$/.test(base.pathname)) base = new URL(base.href + "/");
    var fileUrls = box.getAttribute("data-ar-search-urls") === "file";
    var engine = new E.Engine(loader(base));
    var toggle = document.getElementById("__search");
    var query = box.querySelector("[data-ar-search-query]");
    var result = box.querySelector("[data-ar-search-result]");
    var meta = result.querySelector(".md-search-result__meta");
    var list = result.querySelector(".md-search-result__list");
    var scrollwrap = box.querySelector(".md-search__scrollwrap");
    var form = query.form;
    var last = null;
    var seq = 0;
    var state = { found: { results: [], total: 0, complete: true }, shown: 0, words: [], busy: false };

    function setToggle(value) {
      if (toggle && toggle.checked !== value) toggle.click();
    }

    function link(record) {
      var slug = encodeURIComponent(record.slug);
      return new URL(fileUrls ? "articles/" + slug + ".html" : "articles/" + slug + "/", base).href;
    }

    // An article can carry dozens of tags: show the ones the query matched first, and at most six.
    var MAX_TAGS = 6;
    function shownTags(tags) {
      var parts = tags.map(function (t) { return E.highlight(t, state.words); });
      var hit = function (p) { return p.some(function (s) { return s.mark; }); };
      return parts.filter(hit).concat(parts.filter(function (p) { return !hit(p); })).slice(0, MAX_TAGS);
    }

    function item(record, score) {
      var details = [];
      if (record.date) details.push(el("time", { datetime: record.date }, [formatDate(record.date)]));
      if (record.source) details.push(el("span", { class: "ar-search-result__source" }, [record.source]));
      var article = el("article", { class: "md-search-result__article md-typeset", "data-md-score": score.toFixed(2) }, [
        el("div", { class: "md-search-result__icon md-icon" }),
        el("h1", {}, marked(E.highlight(record.title, state.words))),
        details.length ? el("p", { class: "ar-search-result__meta" }, details) : null,
        el("p", {}, marked(E.snippet(record.text, state.words, 240))),
        record.tags.length
          ? el("nav", { class: "md-tags" }, shownTags(record.tags).map(function (parts) {
            return el("span", { class: "md-tag" }, marked(parts));
          }))
          : null,
      ]);
      return el("li", { class: "md-search-result__item" }, [
        el("a", { href: link(record), class: "md-search-result__link", tabindex: "-1" }, [article]),
      ]);
    }

    function showMore(mine) {
      if (state.busy) return Promise.resolve();
      var found = state.found;
      var want = state.shown + PAGE;
      if (state.shown >= found.results.length && found.complete) return Promise.resolve();
      state.busy = true;
      // A phrase of frequent words is confirmed a page at a time (engine.more).
      return engine.more(found, want).then(function () {
        if (mine !== seq) return undefined;
        if (!found.complete) setMeta(count(found));
        var page = found.results.slice(state.shown, want);
        if (!page.length) {
          state.busy = false;
          // Nothing confirmed in this step's budget yet: go on, a step at a time.
          if (!found.complete) return showMore(mine);
          if (!found.results.length) setMeta(translate(cfg, "search.result.none"));
          done(mine);
          return undefined;
        }
        return engine.display(page.map(function (r) { return r.id; })).then(function (records) {
          state.busy = false;
          if (mine !== seq) return;
          records.forEach(function (record, i) {
            if (record) list.appendChild(item(record, page[i].score));
          });
          state.shown += page.length;
          // A phrase step that confirmed less than a page: show it, then go on.
          if (!found.complete && state.shown < want) return showMore(mine);
          done(mine);
          return undefined;
        });
      });
    }

    // "N results", or "N+ results" while a phrase is still being confirmed,
    // in the form Arabic gives each number (CLDR's six plural categories).
    function count(found) {
      var n = found.total;
      if (n === 0) return found.complete ? translate(cfg, "search.result.none") : TEXT.checking;
      var shown = n.toLocaleString("ar") + (found.complete ? "" : "+");
      var words = P.counted(n, P.DOCUMENT, shown);
      // "1+" and "2+" keep their numeral (the forms for one and two have none).
      if (!found.complete && n <= 2) words = shown + " " + P.DOCUMENT.other;
      return TEXT.count.replace("#", words);
    }

    // The state attributes let tests (and curious readers) see when a query is answered.
    function done(mine) {
      if (mine !== seq) return;
      box.setAttribute("data-ar-search-state", "done");
      box.setAttribute("data-ar-search-done", last === null ? "" : last);
    }

    function setMeta(text) {
      meta.textContent = text;
    }

    function run() {
      var value = query.value;
      if (value === last) return;
      last = value;
      var mine = ++seq;
      box.setAttribute("data-ar-search-state", "busy");
      if (!value.trim()) {
        list.innerHTML = "";
        setMeta(translate(cfg, "search.result.placeholder"));
        done(mine);
        return;
      }
      engine.search(value).then(function (found) {
        if (mine !== seq) return;
        list.innerHTML = "";
        state = { found: found, shown: 0, words: found.parsed.words, busy: false };
        setMeta(count(found));
        if (found.total === 0 && found.complete) {
          done(mine);
          return undefined;
        }
        return showMore(mine);
      }).catch(function () {
        if (mine !== seq) return;
        setMeta(TEXT.error);
        box.setAttribute("data-ar-search-state", "error");
      });
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
    }

    query.addEventListener("input", run);
    query.addEventListener("keyup", run);
    query.addEventListener("focus", function () {
      setToggle(true);
      engine.ready().catch(function () {}); // fetch the manifest before the first key
      run();
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
    });
    form.addEventListener("reset", function () {
      setTimeout(function () {
        run();
        query.focus();
      });
    });
    document.querySelectorAll("header [for=__search]").forEach(function (label) {
      label.addEventListener("click", function () {
        setTimeout(function () { query.focus(); });
      });
    });
    result.addEventListener("click", function (ev) {
      if (ev.target instanceof Element && ev.target.closest("a")) setToggle(false);
    });
    list.hidden = !(toggle && toggle.checked);
    if (toggle) {
      toggle.addEventListener("change", function () {
        list.hidden = !toggle.checked;
        list.setAttribute("role", toggle.checked ? "list" : "presentation");
        if (!toggle.checked) {
          var url = new URL(location.href);
          if (url.searchParams.has("q")) {
            url.searchParams.delete("q");
            history.replaceState(history.state, "", url.href);
          }
        }
      });
    }
    scrollwrap.addEventListener("scroll", function () {
      if (scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 200) showMore(seq);
    });

    window.addEventListener("keydown", function (ev) {
      if (ev.metaKey || ev.ctrlKey || ev.altKey) return;
      var active = document.activeElement;
      if (toggle && toggle.checked) {
        switch (ev.key) {
          case "Enter":
            if (active === query) {
              var first = links()[0];
              if (first) first.click();
              ev.preventDefault();
            }
            break;
          case "Escape":
          case "Tab":
            setToggle(false);
            query.blur();
            break;
          case "ArrowUp":
          case "ArrowDown":
            var items = [query].concat(links());
            var at = Math.max(0, items.indexOf(active));
            items[(at + items.length + (ev.key === "ArrowUp" ? -1 : 1)) % items.length].focus();
            ev.preventDefault();
            break;
          default:
            if (active !== query && ev.key.length === 1) query.focus();
        }
        return;
      }
      if (ev.key === "s" || ev.key === "f" || ev.key === "/") {
        var typing = active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
        if (typing) return;
        query.focus();
        query.select();
        ev.preventDefault();
      }
    });

    var params = new URL(location.href).searchParams;
    if (params.has("q")) {
      setToggle(true);
      query.value = params.get("q");
      query.focus();
      run();
    } else {
      setMeta(translate(cfg, "search.result.placeholder"));
    }
  }

  function init() {
    var box = document.querySelector("[data-ar-search]");
    if (box && E && P) setup(box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
