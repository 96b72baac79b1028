/* Trombi search, in the browser: the header box (results as you type) and the full search page
   (facets, state in the address). Both read the Pagefind index the build writes into the site,
   loaded only when someone starts to search, and served by the site itself.
   When a query finds nobody, the closest skill, group, team or site names are suggested: Pagefind
   has almost no typo tolerance, so "kubernets" would otherwise find nothing. */
(function () {
  "use strict";

  var HEADER_LIMIT = 6;
  var HEADER_PAGES = 3; // pages named by the query (a skill, a group, a site), above the people
  var PAGE_SIZE = 20;
  var FACET_VALUES = 8; // values shown per facet before "show more"; the selected ones always are
  var DEBOUNCE_MS = 120;
  // Facets with one value per person: several selected values mean "any of them".
  var SINGLE_VALUED = { team: true, location: true, kind: true };

  var form = document.querySelector("[data-trombi-header-search]");
  if (!form) return;
  // The search page, the form's action, is at the site's root (overrides/partials/trombi-search.html).
  var root = new URL("..", new URL(form.getAttribute("action"), window.location.href));
  var pagefindPromise = null;
  var vocabularyPromise = null;

  // A large company's index comes in bundles, listed by pagefind/parts.json in groups: each group
  // is searched by a Pagefind module of its own (the first bundle's script, with its own web worker,
  // merging the group's other bundles), so that a broad query is scored on two cores at once. The
  // groups' answers are merged here as Pagefind merges bundles: results by score, counts summed.
  function pagefind() {
    if (!pagefindPromise) {
      var bundle = new URL("pagefind/", root);
      // The weights of the profiles' markup decide (generator/weights.py, PAGEFIND_RANKING).
      var options = { baseUrl: root.pathname, excerptLength: 20, ranking: { termFrequency: 0, pageLength: 0 } };
      // The first group starts with the first bundle: its script loads while the list does.
      var firstScript = import(new URL("pagefind.js", bundle).href);
      firstScript.catch(function () {});  // a site with nobody to search has no bundle: its list is empty
      pagefindPromise = fetch(new URL("parts.json", bundle).href)
        .then(function (response) { return response.ok ? response.json() : [[""]]; })
        .then(function (groups) {
          return Promise.all(groups.map(function (group, index) {
            var script = index === 0 ? firstScript : import(new URL("pagefind.js", new URL(group[0], bundle)).href);
            return script.then(function (pf) {
              return pf.options(options).then(function () {
                return Promise.all(group.slice(1).map(function (part) { return pf.mergeIndex(new URL(part, bundle).pathname, options); }));
              }).then(function () { return pf; });
            });
          }));
        })
        .then(searchingAll);
    }
    return pagefindPromise;
  }

  function searchingAll(modules) {
    if (modules.length === 1) return modules[0];
    return {
      init: function () { return Promise.all(modules.map(function (pf) { return pf.init(); })); },
      filters: function () {
        return Promise.all(modules.map(function (pf) { return pf.filters(); })).then(sumCounts);
      },
      search: function (term, options) {
        return Promise.all(modules.map(function (pf) { return pf.search(term, options); })).then(function (searches) {
          return {
            results: [].concat.apply([], searches.map(function (s) { return s.results; })).sort(function (a, b) { return b.score - a.score; }),
            unfilteredResultCount: searches.reduce(function (sum, s) { return sum + s.unfilteredResultCount; }, 0),
            filters: sumCounts(searches.map(function (s) { return s.filters; })),
            totalFilters: sumCounts(searches.map(function (s) { return s.totalFilters; })),
          };
        });
      },
    };
  }

  // {facet: {value: count}} of several searches, summed.
  function sumCounts(all) {
    var sum = {};
    all.forEach(function (counts) {
      Object.keys(counts || {}).forEach(function (facet) {
        var into = sum[facet] || (sum[facet] = {});
        Object.keys(counts[facet]).forEach(function (value) { into[value] = (into[value] || 0) + counts[facet][value]; });
      });
    });
    return sum;
  }

  function vocabulary() {
    if (!vocabularyPromise) {
      vocabularyPromise = fetch(new URL("assets/search-vocabulary.json", root).href).then(function (response) {
        return response.json();
      });
    }
    return vocabularyPromise;
  }

  // Team names (many in a large company) are fetched only when a query finds nobody.
  function withTeams(vocab) {
    if (!vocab.teamsPromise) {
      vocab.teamsPromise = fetch(new URL("assets/search-teams.json", root).href)
        .then(function (response) { return response.json(); })
        .then(function (names) { vocab.teams = names; });
    }
    return vocab.teamsPromise;
  }

  // --- text ---------------------------------------------------------------------------------

  // As generator/search/analysis.py folds (the terminal's search, and the names the site's index
  // also holds folded): marks off, the letters that have no decomposition spelled plainly, no apostrophes.
  var PLAIN = { "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ħ": "h", "ŧ": "t", "ŀ": "l", "'": "", "’": "", "ʼ": "" };
  function fold(text) {
    return text.toLowerCase().replace(/[łøđðıæœßþħŧŀ'’ʼ]/g, function (c) { return PLAIN[c]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").trim();
  }

  // Words that name a site or a language are searched as that facet, not as text: Pagefind's cost
  // to rank a word grows with the square of the pages holding it, and "lyon" is where a quarter of
  // a company works (3 s at 100,000 people as a word; instant as a filter). Small words ("de",
  // "the") are left out for the same reason, unless nothing else is left.
  var PLANNED_FACETS = ["location", "language"];

  function stopWords(vocab) {
    if (!vocab.stopSet) {
      vocab.stopSet = {};
      vocab.stopWords.forEach(function (word) { vocab.stopSet[word] = true; });
    }
    return vocab.stopSet;
  }

  function planQuery(query, vocab) {
    var words = query.trim().split(/\s+/).filter(Boolean);
    var folded = words.map(fold);
    var filters = {};
    PLANNED_FACETS.forEach(function (facet) {
      var names = (facet === "location" ? vocab.locations : vocab.languages || []).slice();
      names.sort(function (a, b) { return b.length - a.length; }); // "Saint-Denis de la Réunion" before "Saint-Denis"
      names.forEach(function (name) {
        var parts = fold(name).split(/\s+/);
        for (var i = 0; i + parts.length <= folded.length; i++) {
          if (parts.every(function (part, k) { return folded[i + k] === part; })) {
            words.splice(i, parts.length);
            folded.splice(i, parts.length);
            (filters[facet] = filters[facet] || []).push(name);
            return;
          }
        }
      });
    });
    var atLeast = levelAsked(words, folded, vocab);
    var stop = stopWords(vocab);
    var kept = words.filter(function (word, i) { return !stop[folded[i]]; });
    if (kept.length) words = kept;
    return { term: words.length ? words.join(" ") : null, filters: filters, atLeast: atLeast };
  }

  // A level word and the skill the other words name ("python expert", "kotlin senior"), as
  // generator/search/ranking.py reads them: that skill at that level or above. The level word is
  // taken out of the query, the skill's stay, so that its experts rank first among those filtered;
  // without a skill named, the level word is searched as a word.
  function levelAsked(words, folded, vocab) {
    var at = folded.findIndex(function (word) { return (vocab.levelWords || {})[word]; });
    if (at < 0) return null;
    var rest = folded.filter(function (_, i) { return i !== at; });
    for (var length = rest.length; length > 0; length--) {
      for (var start = 0; start + length <= rest.length; start++) {
        var named = rest.slice(start, start + length).join(" ");
        var skill = vocab.skills.filter(function (names) { return names.some(function (name) { return fold(name) === named; }); })[0];
        if (skill) {
          var level = vocab.levelWords[folded[at]];
          words.splice(at, 1);
          folded.splice(at, 1);
          return { skill: skill[0], levels: vocab.levels.slice(vocab.levels.indexOf(level)) };
        }
      }
    }
    return null;
  }

  // Pagefind's filters for values by facet: any of them where a person has one value, all otherwise;
  // with a skill asked at a level, that skill at any of the levels from it up.
  function pagefindFiltersOf(valuesByFacet, atLeast) {
    var filters = {};
    Object.keys(valuesByFacet).forEach(function (facet) {
      filters[facet] = SINGLE_VALUED[facet] ? { any: valuesByFacet[facet] } : valuesByFacet[facet];
    });
    if (atLeast) {
      filters.any = atLeast.levels.map(function (level) { var one = {}; one[level] = atLeast.skill; return one; });
    }
    return filters;
  }

  // Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).
  function distance(a, b) {
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) {
          rows[0].push(j);
          continue;
        }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
        rows[i].push(best);
      }
    }
    return rows[a.length][b.length];
  }

  // Closest vocabulary names to the query (whole query, or any of its words), best first; none
  // when the query already is one of the names.
  function suggest(query, vocab, limit) {
    var wanted = fold(query);
    if (wanted.length < 3) return [];
    var exact = false;
    var words = wanted.split(/\s+/).filter(function (w) { return w.length >= 3; });
    var candidates = [];
    vocab.skills.forEach(function (names) {
      names.forEach(function (alias) { candidates.push({ name: names[0], text: alias }); });
    });
    [vocab.groups, vocab.teams || [], vocab.locations].forEach(function (names) {
      names.forEach(function (name) { candidates.push({ name: name, text: name }); });
    });
    var scored = {};
    candidates.forEach(function (candidate) {
      var text = fold(candidate.text);
      if (text === wanted) exact = true;
      var best = distance(wanted, text) / Math.max(wanted.length, text.length);
      text.split(/\s+/).forEach(function (part) {
        words.forEach(function (word) {
          if (part.length >= 3) best = Math.min(best, (distance(word, part) + 0.5) / Math.max(word.length, part.length));
        });
      });
      if (best <= 0.34 && (!(candidate.name in scored) || scored[candidate.name] > best)) scored[candidate.name] = best;
    });
    if (exact) return [];
    return Object.keys(scored)
      .sort(function (a, b) { return scored[a] - scored[b] || a.localeCompare(b); })
      .slice(0, limit);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function avatar(meta) {
    var box = element("span", "trombi-result__avatar");
    if (meta.photo) {
      var img = element("img");
      img.src = /^https?:/.test(meta.photo) ? meta.photo : new URL(meta.photo, root).href;
      img.alt = "";
      img.loading = "lazy";
      box.appendChild(img);
    } else {
      box.textContent = meta.initials || "?";
      box.style.setProperty("--trombi-hue", meta.hue || "200");
    }
    return box;
  }

  // A result: a link holding an optional picture, a name and a line under it.
  function card(tag, url, name, line, picture) {
    var item = element(tag, "trombi-result");
    var link = element("a", "trombi-result__link");
    link.href = url;
    if (picture) link.appendChild(picture);
    var text = element("span", "trombi-result__text");
    text.appendChild(element("span", "trombi-result__name", name));
    text.appendChild(element("span", "trombi-result__title", line));
    link.appendChild(text);
    item.appendChild(link);
    return item;
  }

  // A person found: their title, team and site, the external badge for a partner or a contractor,
  // and why they were found when a skill of theirs is what the query names ("Python · Expert").
  function resultCard(data, tag, query, vocab) {
    var line = [data.meta.title, data.meta.team, data.meta.location].filter(Boolean).join(" · ");
    var item = card(tag, data.url, data.meta.name, line, avatar(data.meta));
    var name = item.querySelector(".trombi-result__name");
    var kind = ((data.filters || {}).kind || [])[0];
    if (vocab && kind && kind !== vocab.employee) name.appendChild(element("span", "trombi-badge trombi-badge--external", kind));
    var why = vocab ? matchedSkill(data.filters || {}, query, vocab) : null;
    if (why) item.querySelector(".trombi-result__text").appendChild(element("span", "trombi-result__why", why));
    return item;
  }

  // "Python · Expert": the person's skill that the query names (by its name or an alias), with its level.
  function matchedSkill(filters, query, vocab) {
    var words = fold(query || "").split(/\s+/).filter(Boolean);
    var whole = words.join(" ");
    for (var i = vocab.levels.length - 1; i >= 0; i--) {
      var level = vocab.levels[i];
      var held = filters[level] || [];
      for (var k = 0; k < held.length; k++) {
        var names = (vocab.skills.filter(function (entry) { return entry[0] === held[k]; })[0] || [held[k]]).map(fold);
        if (names.some(function (name) { return name === whole || words.indexOf(name) >= 0 || (name.indexOf(" ") > 0 && whole.indexOf(name) >= 0); })) {
          return held[k] + " · " + vocab.levelLabels[level];
        }
      }
    }
    return null;
  }

  // --- the pages a query names ------------------------------------------------------------------

  // Skills, teams, groups, sites and languages, shown above the people: the rules and the order of
  // generator/search/named.py, over the files of the names filed under the keys of the query's words.
  var SEPARATORS = /[\s\-\/,;:()!?"«»]+/;
  var NAMED_KINDS = ["skill", "team", "group", "site", "language"];
  var PREFIX_MIN = 3;
  var EXACT = 2;
  var shardPromises = {};

  function nameWords(text, vocab) {
    var stop = stopWords(vocab);
    return fold(text).split(SEPARATORS)
      .map(function (part) { return part.replace(/\.+$/, ""); })
      .filter(function (word) { return word && !stop[word]; });
  }

  function closeness(query, name) {
    if (!query.length || !name.length) return 0;
    if (query.join(" ") === name.join(" ")) return EXACT;
    var last = query[query.length - 1];
    var whole = query.slice(0, -1).every(function (word) { return name.indexOf(word) >= 0; });
    var begun = name.indexOf(last) >= 0 || (last.length >= PREFIX_MIN && name.some(function (part) { return part.indexOf(last) === 0; }));
    return whole && begun ? 1 : 0;
  }

  function shardKey(word) {
    var start = Array.from(word).slice(0, 2).join("");
    if (/^[a-z0-9]{1,2}$/.test(start)) return start;
    return "x" + Array.from(start).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  function shard(key) {
    if (!shardPromises[key]) {
      shardPromises[key] = fetch(new URL("assets/search-named/" + key + ".json", root).href).then(function (response) {
        return response.ok ? response.json() : [];
      });
    }
    return shardPromises[key];
  }

  // [{id, name, url, line}], most closely named first.
  function namedPages(query, vocab) {
    var asked = nameWords(query, vocab);
    var keys = asked.map(shardKey).filter(function (key, i, all) { return all.indexOf(key) === i && vocab.namedKeys.indexOf(key) >= 0; });
    return Promise.all(keys.map(shard)).then(function (rows) {
      var seen = {};
      var found = [];
      [].concat.apply([], rows).forEach(function (row) {
        if (seen[row[0]]) return;
        seen[row[0]] = true;
        // The closest of its names, and of those the shortest.
        var best = { strength: 0, length: 0 };
        [row[1]].concat(row[2]).forEach(function (name) {
          var named = nameWords(name, vocab);
          var strength = closeness(asked, named);
          if (strength > best.strength || (strength === best.strength && named.length < best.length)) best = { strength: strength, length: named.length };
        });
        if (best.strength) found.push({ strength: best.strength, kind: NAMED_KINDS.indexOf(row[0].split(":")[0]), length: best.length, sortName: fold(row[1]), id: row[0], name: row[1], url: row[3], line: row[4] });
      });
      found.sort(function (a, b) {
        return b.strength - a.strength || a.kind - b.kind || a.length - b.length || compareText(a.sortName, b.sortName) || compareText(a.id, b.id);
      });
      return found.slice(0, vocab.namedLimit);
    });
  }

  function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // Results from ``start``: ``count`` of them, and those after with the same score as the last
  // (up to a page more), so that equal scores can be put in order (inOrder).
  function tiedSlice(results, start, count) {
    var end = Math.min(start + count, results.length);
    while (end < results.length && end < start + count + PAGE_SIZE && results[end].score === results[end - 1].score) end++;
    return results.slice(start, end);
  }

  // Equal scores in the terminal's order, the people index's: by name (generator/search/index.py
  // indexes people in that order, and Whoosh keeps it among equals).
  function inOrder(results, data) {
    return data.map(function (d, i) { return { score: results[i].score, data: d, key: fold(d.meta.name || "") }; })
      .sort(function (a, b) { return b.score - a.score || compareText(a.key, b.key) || compareText(a.data.url, b.data.url); })
      .map(function (entry) { return entry.data; });
  }

  function namedCard(page, tag) {
    var item = card(tag, new URL(page.url, root).href, page.name, page.line);
    item.classList.add("trombi-result--page");
    item.firstChild.setAttribute("data-trombi-named", page.id);
    return item;
  }

  function searchUrl(query) {
    var url = new URL("search/", root);
    url.searchParams.set("q", query);
    return url.href;
  }

  // Suggestions after nobody was found; or, when people were found, only for a near miss of a
  // known name (stemming lets "kubernets" find Kubernetes people, the link fixes the query).
  function suggestionLinks(container, query, vocab, found) {
    var names = suggest(query, vocab, 3);
    if (found) {
      var words = fold(query).split(/\s+/);
      names = names.filter(function (name) {
        return words.some(function (word) { return word.length >= 4 && fold(name).split(/\s+/).some(function (part) { return part !== word && distance(word, part) <= 2; }); });
      });
    }
    if (!names.length) return false;
    container.appendChild(element("span", "trombi-suggestions__label", vocab.labels.didYouMean + " "));
    names.forEach(function (name, index) {
      var link = element("a", "trombi-suggestion", name);
      link.href = searchUrl(name);
      link.setAttribute("data-trombi-suggestion", name);
      if (index) container.appendChild(document.createTextNode(", "));
      container.appendChild(link);
    });
    return true;
  }

  function debounce(fn) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, DEBOUNCE_MS);
    };
  }

  // --- the header box -------------------------------------------------------------------------

  // The page carries a plain search form (overrides/partials/trombi-search.html): the combobox
  // semantics and the panel of results are this script's, written once it runs.
  var input = form.querySelector("input[name=q]");
  var list = element("ul", "trombi-header-search__results");
  list.id = "trombi-header-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("data-trombi-dropdown", "");
  var footer = element("p", "trombi-header-search__footer");
  footer.setAttribute("data-trombi-footer", "");
  var panel = element("div", "trombi-header-search__panel");
  panel.hidden = true;
  panel.appendChild(list);
  panel.appendChild(footer);
  form.appendChild(panel);
  [["autocapitalize", "off"], ["spellcheck", "false"], ["role", "combobox"], ["aria-expanded", "false"],
    ["aria-controls", list.id], ["aria-autocomplete", "list"]].forEach(function (pair) { input.setAttribute(pair[0], pair[1]); });
  var active = -1;
  var latest = 0;

  function closePanel() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function options() {
    return list.querySelectorAll("[role=option]");
  }

  function highlight(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  var runHeaderSearch = debounce(function (query) {
    var ticket = ++latest;
    if (!fold(query)) {
      closePanel();
      return;
    }
    Promise.all([pagefind(), vocabulary()])
      .then(function (loaded) {
        var vocab = loaded[1];
        var plan = planQuery(query, vocab);
        // A query naming only a site or a language is answered by its page: as a filter alone, Pagefind
        // would download its whole index (20 MB at 100,000 people) to list a quarter of the company.
        var placeOnly = plan.term === null && !plan.atLeast;
        var people = placeOnly ? null : loaded[0].search(plan.term, { filters: pagefindFiltersOf(plan.filters, plan.atLeast) }).then(function (search) {
          var slice = tiedSlice(search.results, 0, HEADER_LIMIT);
          return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
            return { data: inOrder(slice, data).slice(0, HEADER_LIMIT), total: search.results.length };
          });
        });
        return Promise.all([namedPages(query, vocab), people]).then(function (answers) {
          var found = answers[1] || { data: [], total: 0 };
          return { vocab: vocab, pages: answers[0].slice(0, HEADER_PAGES), data: found.data, total: found.total, placeOnly: placeOnly };
        });
      })
      .then(function (found) {
        if (ticket !== latest) return; // an older query answered late
        list.textContent = "";
        footer.textContent = "";
        active = -1;
        var pages = found.pages.map(function (page) { return namedCard(page, "li"); });
        if (pages.length && found.data.length) pages[pages.length - 1].classList.add("trombi-result--last-page");
        var people = found.data.map(function (data) { return resultCard(data, "li", query, found.vocab); });
        pages.concat(people).forEach(function (item, index) {
          item.id = "trombi-header-result-" + index;
          item.setAttribute("role", "option");
          item.setAttribute("aria-selected", "false");
          list.appendChild(item);
        });
        panel.hidden = false;
        input.setAttribute("aria-expanded", "true");
        if (found.placeOnly && pages.length) {
          form.setAttribute("data-trombi-answered", query);
          return null;
        }
        if (!found.data.length) {
          footer.appendChild(element("span", "trombi-muted", found.vocab.labels.none + " "));
          return withTeams(found.vocab).then(function () {
            if (ticket !== latest) return;
            suggestionLinks(footer, query, found.vocab, false);
            form.setAttribute("data-trombi-answered", query);
          });
        }
        var all = element("a", "trombi-header-search__all", found.vocab.labels.all + " (" + found.total + ")");
        all.href = searchUrl(query);
        footer.appendChild(all);
        var near = element("span", "trombi-header-search__near");
        if (suggestionLinks(near, query, found.vocab, true)) {
          footer.appendChild(document.createTextNode(" · "));
          footer.appendChild(near);
        }
        form.setAttribute("data-trombi-answered", query);
      })
      .catch(function (error) {
        console.warn("search unavailable:", error);
      });
  });

  input.addEventListener("focus", function () { pagefind().then(function (pf) { pf.init(); }); });
  input.addEventListener("input", function () { runHeaderSearch(input.value); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!panel.hidden) highlight(active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (!panel.hidden) highlight(active - 1);
    } else if (event.key === "Escape") {
      closePanel();
    } else if (event.key === "Enter" && active >= 0 && !panel.hidden) {
      event.preventDefault();
      window.location.href = options()[active].querySelector("a").href;
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (fold(input.value)) window.location.href = searchUrl(input.value.trim());
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) closePanel();
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(input|textarea|select)$/i.test(event.target.tagName) || event.target.isContentEditable;
    if (event.key === "/" && !typing) {
      event.preventDefault();
      input.focus();
    }
  });

  // --- the full search page -------------------------------------------------------------------

  var pageRoot = document.querySelector("[data-trombi-search-page]");
  if (!pageRoot) return;
  var pageInput = pageRoot.querySelector("[data-trombi-page-query]");
  var facetsBox = pageRoot.querySelector("[data-trombi-facets]");
  var statusBox = pageRoot.querySelector("[data-trombi-status]");
  var suggestionsBox = pageRoot.querySelector("[data-trombi-suggestions]");
  var resultsBox = pageRoot.querySelector("[data-trombi-results]");
  var moreButton = pageRoot.querySelector("[data-trombi-more]");
  var namedSection = pageRoot.querySelector("[data-trombi-named-section]");
  var namedBox = pageRoot.querySelector("[data-trombi-named-results]");
  var chipsBox = pageRoot.querySelector("[data-trombi-chips]");
  // Not "panel": that is the header box's, in the same scope.
  var filtersPanel = pageRoot.querySelector("[data-trombi-facets-panel]");
  var panelCount = pageRoot.querySelector("[data-trombi-facets-count]");
  // The address is the search: q, each facet's values, and the level chosen for the chosen skills.
  var state = { q: "", filters: {}, level: "" };
  var planned = {}; // facets named by words of the query (see planQuery)
  var plannedLevel = null; // a skill asked at a level by words of the query (see levelAsked)
  var current = { results: [], shown: 0 };
  var expanded = {}; // facets whose every value is shown, after "show more"
  var lastFacets = null; // the vocabulary and the counts the facets were last drawn with
  var pageVocab = null;
  var focusAfterChips = false;
  var pageTicket = 0;

  // The facets the page offers: the levels are one control of the skill facet ("at least"), not facets of their own.
  function offeredFacets(vocab) {
    return vocab.facets.filter(function (facet) { return vocab.levels.indexOf(facet) < 0; });
  }

  function readState(vocab) {
    var params = new URLSearchParams(window.location.search);
    state.q = params.get("q") || "";
    state.filters = {};
    offeredFacets(vocab).forEach(function (facet) {
      var values = params.getAll(facet).filter(Boolean);
      if (values.length) state.filters[facet] = values;
    });
    state.level = vocab.levels.indexOf(params.get("level")) >= 0 ? params.get("level") : "";
    dropLevelWithoutSkill();
  }

  // The level is asked of the chosen skills: with the last of them it goes too, so that the
  // address, the chips and the count of filters never hold a filter that is not in force.
  function dropLevelWithoutSkill() {
    if (!state.filters.skill) state.level = "";
  }

  // A filter changed: a new entry in the history, that Back undoes. Typing replaces the entry.
  function writeState(asNewEntry) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    Object.keys(state.filters).forEach(function (facet) {
      state.filters[facet].forEach(function (value) { params.append(facet, value); });
    });
    if (state.level) params.set("level", state.level);
    var text = params.toString();
    var address = window.location.pathname + (text ? "?" + text : "");
    if (asNewEntry) history.pushState(null, "", address);
    else history.replaceState(null, "", address);
  }

  // Values the query's words name: a site, a language, and the skill a level word goes with
  // ("python expert"), which shows checked beside its level.
  function plannedValues(facet) {
    var values = planned[facet] || [];
    return facet === "skill" && plannedLevel ? values.concat([plannedLevel.skill]) : values;
  }

  function chosen(facet) {
    return (state.filters[facet] || []).concat(plannedValues(facet).filter(function (v) { return (state.filters[facet] || []).indexOf(v) < 0; }));
  }

  // Facets with values chosen on the page or named in the query.
  function filteredFacets() {
    return Object.keys(state.filters).concat(Object.keys(planned).filter(function (facet) { return !(facet in state.filters); }));
  }

  function pagefindFilters(without) {
    var values = {};
    filteredFacets().forEach(function (facet) {
      if (facet !== without) values[facet] = chosen(facet);
    });
    var filters = pagefindFiltersOf(values, plannedLevel);
    // Each chosen skill at the chosen level or above: all of them, each at any of those levels.
    var skills = without === "skill" ? [] : chosen("skill");
    if (state.level && skills.length) {
      var levels = pageVocab.levels.slice(pageVocab.levels.indexOf(state.level));
      var each = skills.map(function (skill) { return { any: levels.map(function (level) { var one = {}; one[level] = skill; return one; }) }; });
      if (filters.any) each.push({ any: filters.any });
      delete filters.any;
      filters.all = each;
    }
    return filters;
  }

  // A facet where one value excludes the others (one site per person) counts its values as if it
  // were not applied, so that a second site can be added to the first.
  function facetCounts(pf, term, search, everyone) {
    var counts = Object.assign({}, search.filters);
    var open = filteredFacets().filter(function (facet) { return SINGLE_VALUED[facet]; });
    return Promise.all(open.map(function (facet) {
      if (!term && !Object.keys(pagefindFilters(facet)).length) {
        counts[facet] = everyone[facet];
        return null;
      }
      return pf.search(term, { filters: pagefindFilters(facet) }).then(function (other) { counts[facet] = other.filters[facet]; });
    })).then(function () { return counts; });
  }

  function toggle(facet, value, on) {
    var values = (state.filters[facet] || []).filter(function (v) { return v !== value; });
    if (on) values.push(value);
    if (values.length) state.filters[facet] = values;
    else delete state.filters[facet];
    filtersChanged();
  }

  function filtersChanged() {
    dropLevelWithoutSkill();
    writeState(true);
    runPageSearch();
  }

  function renderFacets(vocab, counts) {
    lastFacets = { vocab: vocab, counts: counts };
    var focused = focusedControl();
    facetsBox.textContent = "";
    offeredFacets(vocab).forEach(function (facet) {
      var selected = chosen(facet);
      var values = counts[facet] || {};
      var names = Object.keys(values).filter(function (v) { return values[v] > 0 || selected.indexOf(v) >= 0; });
      selected.forEach(function (v) { if (names.indexOf(v) < 0) names.push(v); });
      if (!names.length) return;
      names.sort(function (a, b) {
        return (selected.indexOf(b) >= 0) - (selected.indexOf(a) >= 0) || (values[b] || 0) - (values[a] || 0) || a.localeCompare(b);
      });
      var group = element("fieldset", "trombi-facet");
      group.setAttribute("data-trombi-facet", facet);
      group.appendChild(element("legend", "trombi-facet__title", vocab.facetLabels[facet] || facet));
      if (facet === "skill") group.appendChild(levelControl(vocab, selected));
      var shown = expanded[facet] ? names.length : Math.max(FACET_VALUES, selected.length);
      names.slice(0, shown).forEach(function (value) { group.appendChild(facetValue(facet, value, selected, values)); });
      if (names.length > shown) group.appendChild(moreValues(facet, names.length - shown, vocab));
      facetsBox.appendChild(group);
    });
    if (Object.keys(state.filters).length || state.level) {
      var clear = element("button", "md-button trombi-facets__clear", vocab.labels.clear);
      clear.type = "button";
      clear.addEventListener("click", function () {
        state.filters = {};
        state.level = "";
        filtersChanged();
      });
      facetsBox.appendChild(clear);
    }
    if (focused !== null) refocus(focused);
  }

  // The facets are drawn anew after each change: the control that had the focus is named here,
  // so that its new copy takes it back and the keyboard stays where it was.
  // "Show more" places the focus itself, on the first value it shows.
  function focusedControl() {
    var node = document.activeElement;
    if (!node || !facetsBox.contains(node) || node.hasAttribute("data-trombi-facet-more")) return null;
    if (node.hasAttribute("data-trombi-facet-value")) {
      var facet = node.closest("[data-trombi-facet]").getAttribute("data-trombi-facet");
      return "[data-trombi-facet='" + CSS.escape(facet) + "'] [data-trombi-facet-value='" + CSS.escape(node.getAttribute("data-trombi-facet-value")) + "']";
    }
    if (node.hasAttribute("data-trombi-level")) return "[data-trombi-level]";
    return ""; // a control that goes once used ("clear"): the first one left takes the focus
  }

  function refocus(selector) {
    var control = selector ? facetsBox.querySelector(selector) : null;
    if (!control || control.disabled) control = facetsBox.querySelector("input:not([disabled]), select:not([disabled]), button");
    if (control) control.focus();
  }

  function facetValue(facet, value, selected, values) {
    var label = element("label", "trombi-facet__value");
    var box = element("input");
    box.type = "checkbox";
    box.checked = selected.indexOf(value) >= 0;
    // A value named in the query stays until the query changes.
    box.disabled = plannedValues(facet).indexOf(value) >= 0 && (state.filters[facet] || []).indexOf(value) < 0;
    box.setAttribute("data-trombi-facet-value", value);
    box.addEventListener("change", function () { toggle(facet, value, box.checked); });
    label.appendChild(box);
    label.appendChild(element("span", "trombi-facet__name", value));
    label.appendChild(element("span", "trombi-facet__count", String(values[value] || 0)));
    return label;
  }

  // "Show N more": the facet's other values, drawn again in place; the focus goes to the first of them.
  function moreValues(facet, hidden, vocab) {
    var button = element("button", "trombi-facet__more", vocab.labels.showMore.replace("%(count)s", hidden.toLocaleString()));
    button.type = "button";
    button.setAttribute("data-trombi-facet-more", facet);
    button.addEventListener("click", function () {
      var before = facetsBox.querySelectorAll("[data-trombi-facet='" + facet + "'] input[type=checkbox]").length;
      expanded[facet] = true;
      renderFacets(lastFacets.vocab, lastFacets.counts);
      var boxes = facetsBox.querySelectorAll("[data-trombi-facet='" + facet + "'] input[type=checkbox]");
      if (boxes[before]) boxes[before].focus();
    });
    return button;
  }

  // One level for the chosen skills: "at least advanced". A level named in the query shows, fixed.
  function levelControl(vocab, skills) {
    var box = element("div", "trombi-facet__level");
    var label = element("label", "trombi-facet__level-label", vocab.labels.atLeast);
    var select = element("select");
    select.id = "trombi-level";
    select.setAttribute("data-trombi-level", "");
    label.htmlFor = select.id;
    var any = element("option", null, vocab.labels.anyLevel);
    any.value = "";
    select.appendChild(any);
    vocab.levels.forEach(function (level) {
      var option = element("option", null, vocab.levelLabels[level]);
      option.value = level;
      select.appendChild(option);
    });
    var hint = element("span", "trombi-facet__hint", vocab.labels.levelNeedsSkill);
    hint.id = "trombi-level-hint";
    if (plannedLevel) {
      select.value = plannedLevel.levels[0];
      select.disabled = true;
    } else {
      select.value = state.level;
      select.disabled = !skills.length;
    }
    if (select.disabled && !plannedLevel) select.setAttribute("aria-describedby", hint.id);
    else hint.hidden = true;
    select.addEventListener("change", function () {
      state.level = select.value;
      filtersChanged();
    });
    box.appendChild(label);
    box.appendChild(select);
    box.appendChild(hint);
    return box;
  }

  // The filters in force, above the results: each chosen one a button that removes it; those the
  // query's words named, as text (they go with the words).
  function renderChips(vocab) {
    chipsBox.textContent = "";
    var count = 0;
    function chip(text, remove) {
      count++;
      if (!remove) {
        chipsBox.appendChild(element("span", "trombi-chip trombi-chip--fixed", text));
        return;
      }
      var button = element("button", "trombi-chip", text);
      button.type = "button";
      button.setAttribute("aria-label", vocab.labels.removeFilter.replace("%(name)s", text));
      button.setAttribute("data-trombi-chip", text);
      button.appendChild(element("span", "trombi-chip__x", "×")).setAttribute("aria-hidden", "true");
      button.addEventListener("click", function () {
        remove();
        focusAfterChips = true;
        filtersChanged();
      });
      chipsBox.appendChild(button);
    }
    Object.keys(state.filters).forEach(function (facet) {
      state.filters[facet].forEach(function (value) { chip(value, function () { dropValue(facet, value); }); });
    });
    if (state.level) chip(vocab.labels.atLeast + " " + vocab.levelLabels[state.level], function () { state.level = ""; });
    Object.keys(planned).forEach(function (facet) {
      planned[facet].forEach(function (value) { if ((state.filters[facet] || []).indexOf(value) < 0) chip(value, null); });
    });
    if (plannedLevel) chip(plannedLevel.skill + " · " + vocab.labels.atLeast + " " + vocab.levelLabels[plannedLevel.levels[0]], null);
    chipsBox.hidden = !count;
    panelCount.textContent = count ? " (" + count + ")" : "";
    // A chip removed: the focus goes to the next one left, or back to the words.
    if (focusAfterChips) (chipsBox.querySelector("button") || pageInput).focus();
    focusAfterChips = false;
  }

  function dropValue(facet, value) {
    var values = (state.filters[facet] || []).filter(function (v) { return v !== value; });
    if (values.length) state.filters[facet] = values;
    else delete state.filters[facet];
  }

  function showMore() {
    var slice = tiedSlice(current.results, current.shown, PAGE_SIZE);
    current.shown += slice.length;
    moreButton.hidden = current.shown >= current.results.length;
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
      inOrder(slice, data).forEach(function (d) { resultsBox.appendChild(resultCard(d, "li", current.query, current.vocab)); });
    });
  }

  // The skills, groups and sites the query names, in their own section above the people.
  function showNamed(vocab, ticket) {
    return (state.q ? namedPages(state.q, vocab) : Promise.resolve([])).then(function (pages) {
      if (ticket !== pageTicket) return;
      namedBox.textContent = "";
      pages.forEach(function (page) { namedBox.appendChild(namedCard(page, "li")); });
      namedSection.hidden = !pages.length;
    });
  }

  function runPageSearch() {
    var ticket = ++pageTicket;
    pageRoot.removeAttribute("data-trombi-ready");
    return Promise.all([pagefind(), vocabulary()]).then(function (loaded) {
      var pf = loaded[0];
      var vocab = loaded[1];
      pageVocab = vocab;
      var named = showNamed(vocab, ticket);
      var plan = planQuery(state.q, vocab);
      var term = plan.term;
      planned = plan.filters;
      plannedLevel = plan.atLeast;
      // Filters first: Pagefind counts a search's facets only for the filters already loaded.
      return pf.filters().then(function (everyone) {
        // No words: a search by filters alone, which with no filter lists everyone (Pagefind 1.5;
        // tests/browser/test_search_facets.py holds it), to narrow with the facets.
        var searching = pf.search(term, { filters: pagefindFilters() });
        return searching.then(function (search) {
          return facetCounts(pf, term, search, everyone).then(function (counts) {
            return { search: search, counts: counts };
          });
        });
      }).then(function (answer) {
        if (ticket !== pageTicket) return;
        var search = answer.search;
        resultsBox.textContent = "";
        suggestionsBox.textContent = "";
        current = { results: search ? search.results : [], shown: 0, query: state.q, vocab: vocab };
        // Counts among the current results; before any search, over everyone.
        renderFacets(vocab, answer.counts);
        renderChips(vocab);
        var count = current.results.length;
        if (count === 1) statusBox.textContent = vocab.labels.one;
        else if (count) statusBox.textContent = vocab.labels.other.replace("%(count)s", count.toLocaleString());
        else statusBox.textContent = vocab.labels.none;
        pageRoot.setAttribute("data-trombi-count", String(count));
        moreButton.textContent = vocab.labels.more;
        if (search && term && count) suggestionLinks(suggestionsBox, state.q, vocab, true);
        if (search && term && !count) {
          return withTeams(vocab).then(function () { suggestionLinks(suggestionsBox, state.q, vocab, false); });
        }
        return showMore();
      }).then(function () { return named; });
    }).then(function () {
      if (ticket === pageTicket) pageRoot.setAttribute("data-trombi-ready", "true");
    }).catch(function (error) {
      console.warn("search unavailable:", error);
      statusBox.textContent = "⚠";
    });
  }

  var typed = debounce(function () {
    state.q = pageInput.value.trim();
    writeState();
    runPageSearch();
  });
  pageInput.addEventListener("input", function () {
    pageRoot.removeAttribute("data-trombi-ready");
    typed();
  });
  pageRoot.querySelector("[data-trombi-page-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = pageInput.value.trim();
    writeState();
    runPageSearch();
  });
  moreButton.addEventListener("click", showMore);

  // Back and Forward: the address changed to an earlier search; its words and filters come back.
  window.addEventListener("popstate", function () {
    pageRoot.removeAttribute("data-trombi-ready");
    vocabulary().then(function (vocab) {
      readState(vocab);
      pageInput.value = state.q;
      runPageSearch();
    });
  });

  // On a phone the filters fold into a "Filters (n)" panel above the results; wider, they stay open beside them.
  var wide = window.matchMedia("(min-width: 45em)");
  function unfoldWhenWide() {
    filtersPanel.open = wide.matches;
  }
  unfoldWhenWide();
  wide.addEventListener("change", unfoldWhenWide);

  vocabulary().then(function (vocab) {
    readState(vocab);
    pageInput.value = state.q;
    runPageSearch();
  });
})();
