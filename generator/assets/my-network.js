/* My network (network/mine/): a person's own information, support and operational circles, each
   relationship qualified, with suggestions from what the directory knows. Everything the person
   writes stays in this browser: nothing here sends anything anywhere; the one request is for the
   directory's facts (assets/my-network.json), which carries nothing of what was typed.

   Storage: localStorage, under STORAGE_KEY, as the very document the page exports (the schema
   schemas/my-network.schema.json), less its date. localStorage rather than IndexedDB: a network is
   a few hundred relationships at most (tens of kB), and reading it synchronously lets the person
   pages say "in my network" as they load (assets/intro.js reads the same key) without an
   asynchronous open on every profile.

   The suggestion rules are generator/network/circles.py's, run again here on the same facts and in
   the same order, so that the page and `trombi network suggest` say the same; a change to one is a
   change to the other (tests/browser/test_my_network_browser.py compares them). The words are the
   site's, written in below by the build (generator/network/mine.py). Everything is written with
   textContent: no name, title or note is ever read as HTML. */
(function () {
  "use strict";

  var MESSAGES = {/* messages: written by the build, generator/network/mine.py */};

  var STORAGE_KEY = "trombi-my-network";
  var FORMAT = "trombi-my-network";
  var CIRCLES = ["information", "support", "operational"];
  var FREQUENCIES = ["week", "two-weeks", "month", "quarter", "half-year", "year"];
  var PERIOD_DAYS = { "week": 7, "two-weeks": 14, "month": 31, "quarter": 92, "half-year": 183, "year": 366 };
  var BRINGS = ["information", "support", "help"];
  var MAX_RELATIONSHIPS = 5000;
  var PER_RULE = 6;
  var NOBODY = -1;
  var SVG = "http://www.w3.org/2000/svg";
  var FIELDS = ["id", "handle", "name", "organisation", "outside", "circle", "frequency", "last_contact", "last_nature",
    "last_outcome", "intensity", "trust", "reciprocal", "brings", "interest", "power", "next_action", "next_date", "added"];

  /* ---- words ------------------------------------------------------------------------------- */

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values && key in values ? String(values[key]) : ""; });
  }

  function monthWords(month) {  // "2025-03" -> "mars 2025", as the site writes a month
    var parts = month.split("-");
    return say(MESSAGES.monthYear, { month: MESSAGES.months[Number(parts[1]) - 1], year: Number(parts[0]) });
  }

  function dateWords(day) {  // "2025-03-01" -> "1er mars 2025"
    var parts = day.split("-").map(Number);
    var formatted = new Intl.DateTimeFormat(MESSAGES.lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })
      .formatToParts(new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])));
    return formatted.map(function (part) { return part.type === "day" && parts[2] === 1 ? MESSAGES.dayOne : part.value; }).join("");
  }

  function lowerFirst(text) { return text.charAt(0).toLowerCase() + text.slice(1); }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  /* ---- days -------------------------------------------------------------------------------- */

  function today() {
    var now = new Date();
    return isoDay(now.getFullYear(), now.getMonth() + 1, now.getDate());
  }

  function isoDay(year, month, day) {
    return String(year).padStart(4, "0") + "-" + String(month).padStart(2, "0") + "-" + String(day).padStart(2, "0");
  }

  function dayNumber(day) {  // days since 1970-01-01
    var parts = day.split("-").map(Number);
    return Math.round(Date.UTC(parts[0], parts[1] - 1, parts[2]) / 86400000);
  }

  function monthOf(number) {
    var day = new Date(number * 86400000);
    return String(day.getUTCFullYear()).padStart(4, "0") + "-" + String(day.getUTCMonth() + 1).padStart(2, "0");
  }

  function realDate(text) {  // as Python's date.fromisoformat, which jsonschema's "date" format reads
    var parts = text.split("-").map(Number);
    var leap = parts[0] % 4 === 0 && (parts[0] % 100 !== 0 || parts[0] % 400 === 0);
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return parts[0] >= 1 && parts[1] >= 1 && parts[1] <= 12 && parts[2] >= 1 && parts[2] <= days[parts[1] - 1];
  }

  /* ---- the facts and the rules (generator/network/circles.py) ------------------------------ */

  function prepare(facts) {
    var count = facts.handles.length;
    facts.byHandle = {};
    facts.handles.forEach(function (handle, index) { facts.byHandle[handle] = index; });
    facts.memberOf = [];
    facts.kindOf = [];
    for (var person = 0; person < count; person++) {
      facts.memberOf.push(facts.member[person] || []);
      facts.kindOf.push(facts.kinds[person] || 0);
    }
    var usual = facts.since[0], other = facts.since[1];
    facts.sinceOf = function (index) { return Object.prototype.hasOwnProperty.call(other, index) ? other[index] : usual; };
    facts.folded = null;  // names without accents, on the first search
    return facts;
  }

  function spread(me, other) {  // FNV-1a (32 bits) of "me>other": circles.spread
    var value = 0x811c9dc5;
    var bytes = new TextEncoder().encode(me + ">" + other);
    for (var i = 0; i < bytes.length; i++) value = Math.imul(value ^ bytes[i], 0x01000193) >>> 0;
    return value;
  }

  function bySpread(facts, me, people) {
    var mine = facts.handles[me];
    var keys = {};
    people.forEach(function (person) { keys[person] = spread(mine, facts.handles[person]); });
    return people.slice().sort(function (a, b) { return keys[a] - keys[b] || a - b; });
  }

  function reason(code, extra) {
    var made = { code: code, group: NOBODY, person: NOBODY, title: NOBODY, month: "", project: NOBODY };
    for (var key in extra) made[key] = extra[key];
    return made;
  }

  function elsewhere(facts, me, other) {
    return other !== me && (facts.team[other] !== facts.team[me] || facts.site[other] !== facts.site[me]);
  }

  function close(facts, me, other) {
    var sameTeam = facts.team[me] !== NOBODY && facts.team[other] === facts.team[me];
    return sameTeam || facts.manager[me] === other || facts.manager[other] === me;
  }

  function sameTitle(facts, me, out) {
    var family = facts.family[facts.title[me]], peers = [];
    for (var p = 0; p < facts.handles.length; p++) if (facts.family[facts.title[p]] === family && elsewhere(facts, me, p)) peers.push(p);
    bySpread(facts, me, peers).forEach(function (person) { out(person, reason("same-title")); });
  }

  function similarTitle(facts, me, out) {
    var families = {}, peers = [];
    facts.similar[facts.family[facts.title[me]]].forEach(function (family) { families[family] = true; });
    for (var p = 0; p < facts.handles.length; p++) if (families[facts.family[facts.title[p]]] && elsewhere(facts, me, p)) peers.push(p);
    bySpread(facts, me, peers).forEach(function (person) { out(person, reason("similar-title", { title: facts.title[person] })); });
  }

  function communities(facts, me, out) {
    var mine = facts.memberOf[me].filter(function (g) { return facts.groups[g][2] === 1; });
    var shared = {}, people = [];
    if (mine.length) {
      for (var p = 0; p < facts.handles.length; p++) {
        if (p === me || close(facts, me, p)) continue;
        for (var k = 0; k < mine.length; k++) {
          if (facts.memberOf[p].indexOf(mine[k]) >= 0) { shared[p] = mine[k]; people.push(p); break; }
        }
      }
    }
    bySpread(facts, me, people).forEach(function (person) { out(person, reason("community", { group: shared[person] })); });
  }

  function spans(facts, person) {  // circles._spans: past tenures, then the current one
    var rows = facts.past[person] || [], found = [], since = facts.sinceOf(person);
    for (var k = 0; k < rows.length; k++) {
      found.push({ team: rows[k][1], manager: rows[k][2], start: rows[k][0], end: k + 1 < rows.length ? rows[k + 1][0] : since });
    }
    found.push({ team: facts.team[person], manager: facts.manager[person], start: since, end: null });
    return found;
  }

  function before(start, end) { return start === null || end === null || start < end; }

  function formerManagers(facts, me, out) {
    var ended = {}, managers = [];
    spans(facts, me).forEach(function (span) {
      if (span.manager !== NOBODY && span.manager !== facts.manager[me] && span.end !== null) {
        if (!(span.manager in ended)) managers.push(span.manager);
        ended[span.manager] = Math.max(span.manager in ended ? ended[span.manager] : span.end, span.end);
      }
    });
    managers.sort(function (a, b) { return ended[b] - ended[a] || a - b; });
    managers.forEach(function (manager) { out(manager, reason("former-manager", { month: monthOf(ended[manager] - 1) })); });
  }

  function formerTeammates(facts, me, out) {
    var mine = spans(facts, me).filter(function (span) { return span.team !== NOBODY; });
    var teams = {};
    mine.forEach(function (span) { teams[span.team] = true; });
    var best = {}, people = [];
    for (var person = 0; person < facts.handles.length; person++) {
      if (person === me || (facts.team[person] === facts.team[me] && facts.team[me] !== NOBODY)) continue;
      var theirs = spans(facts, person);
      for (var s = 0; s < theirs.length; s++) {
        var span = theirs[s];
        if (!teams[span.team]) continue;
        for (var m = 0; m < mine.length; m++) {
          var my = mine[m];
          if (my.team === span.team && before(span.start, my.end) && before(my.start, span.end)) {
            var until = [span.end, my.end].filter(function (day) { return day !== null; }).reduce(function (a, b) { return Math.min(a, b); });
            if (!(person in best)) { people.push(person); best[person] = [until, span.team]; }
            else if (until > best[person][0]) best[person] = [until, span.team];
          }
        }
      }
    }
    var name = facts.handles[me];
    var keys = {};
    people.forEach(function (person) { keys[person] = spread(name, facts.handles[person]); });
    people.sort(function (a, b) { return best[b][0] - best[a][0] || keys[a] - keys[b] || a - b; });
    people.forEach(function (person) {
      out(person, reason("former-teammate", { group: best[person][1], month: monthOf(best[person][0] - 1) }));
    });
  }

  function joinedTogether(facts, me, out) {
    var month = facts.joined[me], peers = [];
    if (month === NOBODY) return;
    for (var p = 0; p < facts.handles.length; p++) if (facts.joined[p] === month && p !== me) peers.push(p);
    bySpread(facts, me, peers).forEach(function (person) { out(person, reason("joined", { month: facts.months[month] })); });
  }

  function helped(facts, me, out) {
    (facts.helped[me] || []).forEach(function (person) { out(person, reason("offers")); });
  }

  function projects(facts, me) {
    return facts.memberOf[me].filter(function (g) { return facts.groups[g][2] === 2; });
  }

  function lent(facts, me, out) {
    projects(facts, me).forEach(function (project) {
      for (var person = 0; person < facts.handles.length; person++) {
        var manager = facts.manager[person];
        if (person !== me && facts.memberOf[person].indexOf(project) >= 0 && manager !== NOBODY && manager !== me) {
          out(manager, reason("lent", { group: project, person: person }));
        }
      }
    });
  }

  function served(facts, me, out) {
    projects(facts, me).forEach(function (project) {
      (facts.serves[project] || []).forEach(function (group) {
        (facts.served[group] || []).forEach(function (person) {
          if (person !== me) out(person, reason("served", { group: group, project: project }));
        });
      });
    });
  }

  var RULES = [
    ["information", sameTitle], ["information", similarTitle], ["information", communities],
    ["support", formerManagers], ["support", formerTeammates], ["support", joinedTogether], ["support", helped],
    ["operational", lent], ["operational", served]
  ];

  function suggest(facts, me) {  // circles.suggest
    var found = {}, ordered = [];
    RULES.forEach(function (rule) {
      var added = 0;
      rule[1](facts, me, function (person, why) {
        if (person === me || person === NOBODY) return;
        if (found[person]) {
          var known = found[person].reasons.some(function (r) { return r.code === why.code && r.group === why.group && r.project === why.project; });
          if (!known) found[person].reasons.push(why);
          return;
        }
        if (added === PER_RULE) return;
        found[person] = { person: person, circle: rule[0], reasons: [why] };
        ordered.push(found[person]);
        added++;
      });
    });
    return ordered;
  }

  function describe(facts, why) {  // circles.describe
    return say(MESSAGES.reasons[why.code], {
      title: why.title !== NOBODY ? facts.titles[why.title] : "",
      group: why.group !== NOBODY ? facts.groups[why.group][1] : "",
      person: why.person !== NOBODY ? facts.names[why.person] : "",
      project: why.project !== NOBODY ? facts.groups[why.project][1] : "",
      month: why.month ? monthWords(why.month) : ""
    });
  }

  /* ---- the export's schema, checked by hand (schemas/my-network.schema.json) ---------------- */

  var END = "(?![\\s\\S])";  // the end of the text, as the schema writes it (see generator/network/mine.py)
  var HANDLE = new RegExp("^[a-z0-9][a-z0-9-]{1,39}" + END);
  var LINE = new RegExp("^[^\\u0000-\\u001f\\u007f]*" + END);
  var TEXT = new RegExp("^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*" + END);
  var DATE = new RegExp("^[0-9]{4}-[0-9]{2}-[0-9]{2}" + END);
  var ID = new RegExp("^[A-Za-z0-9_-]{1,64}" + END);
  var EXPORTED = new RegExp("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z" + END);

  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }
  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function codePoints(text) { return Array.from(text).length; }

  function checkNetwork(data) {  // the problems of a document against the schema, as [kind, path, values]
    var problems = [];
    function problem(kind, path, values) { problems.push([kind, path, values || {}]); }
    function string(value, path, pattern, max, min) {
      if (typeof value !== "string") return problem("type", path, { expected: "string" });
      var length = codePoints(value);
      if (length > max || length < (min || 0)) problem("length", path);
      if (!pattern.test(value)) problem("pattern", path);
    }
    function date(value, path) {
      if (typeof value !== "string") return problem("type", path, { expected: "string" });
      if (!DATE.test(value)) return problem("pattern", path);
      if (!realDate(value)) problem("date", path);
    }
    function orNull(value, path, check) { if (value !== null) check(value, path); }
    function score(value, path) {
      if (typeof value !== "number" || !Number.isInteger(value)) return problem("type", path, { expected: "integer" });
      if (value < 1 || value > 5) problem("range", path);
    }
    function oneOf(value, path, allowed) { if (allowed.indexOf(value) < 0) problem("value", path); }
    function fields(object, path, known, required) {
      Object.keys(object).forEach(function (key) { if (known.indexOf(key) < 0) problem("unknown", path, { key: key }); });
      required.forEach(function (key) { if (!has(object, key)) problem("required", path, { key: key }); });
    }

    if (!isObject(data)) { problem("type", "/", { expected: "object" }); return problems; }
    fields(data, "/", ["format", "version", "me", "exported", "relationships"], ["format", "version", "relationships"]);
    if (has(data, "format") && data.format !== FORMAT) problem("value", "/format");
    if (has(data, "version") && data.version !== 1) problem("value", "/version");
    if (has(data, "me")) orNull(data.me, "/me", function (v, p) { string(v, p, HANDLE, Infinity); });
    if (has(data, "exported")) string(data.exported, "/exported", EXPORTED, Infinity);
    if (!has(data, "relationships")) return problems;
    if (!Array.isArray(data.relationships)) { problem("type", "/relationships", { expected: "array" }); return problems; }
    if (data.relationships.length > MAX_RELATIONSHIPS) problem("count", "/relationships");
    data.relationships.forEach(function (item, index) {
      var at = "/relationships/" + index;
      if (!isObject(item)) return problem("type", at, { expected: "object" });
      fields(item, at, FIELDS, ["id", "name", "circle"]);
      var checks = {
        id: function (v, p) { string(v, p, ID, Infinity); },
        handle: function (v, p) { orNull(v, p, function (w, q) { string(w, q, HANDLE, Infinity); }); },
        name: function (v, p) { string(v, p, LINE, 200, 1); },
        organisation: function (v, p) { string(v, p, LINE, 200); },
        outside: function (v, p) { if (typeof v !== "boolean") problem("type", p, { expected: "boolean" }); },
        circle: function (v, p) { oneOf(v, p, CIRCLES); },
        frequency: function (v, p) { oneOf(v, p, FREQUENCIES.concat([null])); },
        last_contact: function (v, p) { orNull(v, p, date); },
        last_nature: function (v, p) { string(v, p, LINE, 200); },
        last_outcome: function (v, p) { string(v, p, TEXT, 2000); },
        intensity: function (v, p) { orNull(v, p, score); },
        trust: function (v, p) { orNull(v, p, score); },
        reciprocal: function (v, p) { if (v !== null && typeof v !== "boolean") problem("type", p, { expected: "boolean" }); },
        brings: function (v, p) {
          if (!Array.isArray(v)) return problem("type", p, { expected: "array" });
          v.forEach(function (w, k) { oneOf(w, p + "/" + k, BRINGS); });
          if (v.some(function (w, k) { return v.indexOf(w) !== k; })) problem("unique", p);
        },
        interest: function (v, p) { string(v, p, TEXT, 2000); },
        power: function (v, p) { orNull(v, p, score); },
        next_action: function (v, p) { string(v, p, TEXT, 2000); },
        next_date: function (v, p) { orNull(v, p, date); },
        added: date
      };
      FIELDS.forEach(function (key) { if (has(item, key)) checks[key](item[key], at + "/" + key); });
    });
    return problems;
  }

  /* ---- the network, kept in this browser ---------------------------------------------------- */

  function blank() { return { format: FORMAT, version: 1, me: null, relationships: [] }; }

  function normalised(item) {  // every field present, as the page writes them
    return {
      id: item.id, handle: has(item, "handle") ? item.handle : null, name: item.name,
      organisation: item.organisation || "", outside: has(item, "outside") ? item.outside : !item.handle,
      circle: item.circle, frequency: has(item, "frequency") ? item.frequency : null,
      last_contact: item.last_contact || null, last_nature: item.last_nature || "", last_outcome: item.last_outcome || "",
      intensity: has(item, "intensity") ? item.intensity : null, trust: has(item, "trust") ? item.trust : null,
      reciprocal: has(item, "reciprocal") ? item.reciprocal : null, brings: (item.brings || []).slice(),
      interest: item.interest || "", power: has(item, "power") ? item.power : null,
      next_action: item.next_action || "", next_date: item.next_date || null, added: item.added || today()
    };
  }

  function adopt(data) {  // a checked document as the page keeps it: ids made unique (the schema cannot say so)
    var seen = {};
    return {
      format: FORMAT, version: 1, me: has(data, "me") ? data.me : null,
      relationships: data.relationships.map(function (item) {
        var kept = normalised(item);
        if (seen[kept.id]) kept.id = newId();
        seen[kept.id] = true;
        return kept;
      })
    };
  }

  function load() {
    var text = null;
    try { text = window.localStorage.getItem(STORAGE_KEY); } catch (error) { return { data: blank(), stored: false }; }
    if (!text) return { data: blank(), stored: true };
    try {
      var data = JSON.parse(text);
      if (!checkNetwork(data).length) return { data: adopt(data), stored: true };
    } catch (error) { /* refused below */ }
    return { data: blank(), stored: true, unreadable: text };
  }

  function store() {
    try {
      if (state.unreadable) return false;  // never overwrite what could not be read: "forget everything" clears it
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state.data));
      return true;
    } catch (error) {
      status(MESSAGES.notStored, true);
      return false;
    }
  }

  function newId() {
    var bytes = new Uint8Array(9);
    window.crypto.getRandomValues(bytes);
    return "r" + Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function oneLine(text, max) {  // what a one-line field may hold: no control character, at most max characters
    return Array.from(text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim()).slice(0, max).join("");
  }

  function longText(text) {
    return Array.from(text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim()).slice(0, 2000).join("");
  }

  /* ---- CSV (RFC 4180): the same fields, one relationship a row ------------------------------ */

  var FORMULA = /^[=+\-@\t\r]/;  // a spreadsheet would run a cell that begins so: it is written after a '

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : Array.isArray(value) ? value.join(" ") : String(value);
    if (FORMULA.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function toCsv(data) {
    var rows = [FIELDS.join(",")];
    data.relationships.forEach(function (item) { rows.push(FIELDS.map(function (key) { return csvCell(item[key]); }).join(",")); });
    return rows.join("\r\n") + "\r\n";
  }

  function parseCsv(text) {
    var rows = [], row = [], cell = "", quoted = false, i = 0;
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    for (; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
        else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"' && cell === "") quoted = true;
      else if (c === ",") { row.push(cell); cell = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(cell); rows.push(row); row = []; cell = "";
      } else cell += c;
    }
    if (quoted) return null;
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows;
  }

  var NULLABLE = ["handle", "frequency", "last_contact", "intensity", "trust", "reciprocal", "power", "next_date"];
  var NUMBERS = ["intensity", "trust", "power"];
  var BOOLEANS = ["outside", "reciprocal"];

  function fromCsv(text, me) {  // a document to check as any other, or null when it is no CSV of this page
    var rows = parseCsv(text);
    if (!rows || !rows.length || rows[0].join(",") !== FIELDS.join(",")) return null;
    var relationships = rows.slice(1).filter(function (cells) { return cells.length > 1 || cells[0] !== ""; }).map(function (cells) {
      var item = {};
      FIELDS.forEach(function (key, k) {
        var value = k < cells.length ? cells[k] : "";
        if (value.charAt(0) === "'" && FORMULA.test(value.slice(1))) value = value.slice(1);
        if (value === "" && key === "added") return;
        if (value === "" && NULLABLE.indexOf(key) >= 0) { item[key] = null; return; }
        if (key === "brings") { item[key] = value === "" ? [] : value.split(" "); return; }
        if (NUMBERS.indexOf(key) >= 0 && /^[0-9]+$/.test(value)) { item[key] = Number(value); return; }
        if (BOOLEANS.indexOf(key) >= 0 && (value === "true" || value === "false")) { item[key] = value === "true"; return; }
        item[key] = value;
      });
      return item;
    });
    return { format: FORMAT, version: 1, me: me, relationships: relationships };
  }

  /* ---- the page ----------------------------------------------------------------------------- */

  var root, state = { data: null, facts: null, unreadable: null, editing: null, pendingOutside: null }, statusLine;

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    for (var key in attributes || {}) {
      if (attributes[key] === null || attributes[key] === undefined || attributes[key] === false) continue;
      if (key === "text") node.textContent = attributes[key];
      else if (key === "on") for (var event in attributes.on) node.addEventListener(event, attributes.on[event]);
      else node.setAttribute(key, attributes[key] === true ? "" : attributes[key]);
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); });
    return node;
  }

  function status(text, alert) {
    statusLine.textContent = text;
    statusLine.className = "trombi-mine__status" + (alert ? " trombi-mine__status--alert" : "");
  }

  function personUrl(handle) { return root.getAttribute("data-person").replace("HANDLE", handle); }

  function me() {
    var facts = state.facts, handle = state.data.me;
    return facts && handle && has(facts.byHandle, handle) ? facts.byHandle[handle] : NOBODY;
  }

  function relationshipOf(handle) {
    return state.data.relationships.filter(function (item) { return item.handle === handle; })[0] || null;
  }

  function matches(query, limit) {  // people whose name or handle begins with what was typed, word by word
    var facts = state.facts, words = fold(query).split(/\s+/).filter(Boolean), found = [];
    if (!words.length) return found;
    if (!facts.folded) facts.folded = facts.names.map(function (name) { return " " + fold(name).replace(/[^a-z0-9]+/g, " "); });
    for (var person = 0; person < facts.handles.length && found.length < limit; person++) {
      var name = facts.folded[person], handle = facts.handles[person];
      if (handle.indexOf(words.join("")) === 0 || words.every(function (word) { return name.indexOf(" " + word) >= 0; })) found.push(person);
    }
    return found;
  }

  function resolve(text) {  // the person a filled-in box names: a handle, or a name the directory holds once
    var facts = state.facts, typed = text.trim();
    if (!facts || !typed) return NOBODY;
    if (has(facts.byHandle, typed.toLowerCase())) return facts.byHandle[typed.toLowerCase()];
    var folded = fold(typed), found = NOBODY;
    for (var person = 0; person < facts.names.length; person++) {
      if (fold(facts.names[person]) === folded) {
        if (found !== NOBODY) return NOBODY;
        found = person;
      }
    }
    return found;
  }

  function autocomplete(input, list) {
    input.addEventListener("input", function () {
      list.textContent = "";
      if (!state.facts || input.value.trim().length < 2) return;
      matches(input.value, 12).forEach(function (person) {
        var title = state.facts.titles[state.facts.title[person]];
        list.appendChild(el("option", { value: state.facts.handles[person], label: state.facts.names[person] + " — " + title }));
      });
    });
  }

  function field(id, label, control) {
    return el("p", { "class": "trombi-mine__field" }, [el("label", { "for": id, text: label }), control]);
  }

  function identify() {
    var index = me();
    if (index !== NOBODY) {
      var box = el("div", { "class": "trombi-mine__who" });
      box.appendChild(el("p", {}, [
        say(MESSAGES.youAre, { name: state.facts.names[index] }) + " ",
        el("button", { type: "button", "class": "md-button", "data-mine-change": true, text: MESSAGES.change, on: { click: function () {
          state.data.me = null;
          store();
          render("[data-mine-who-input]");
        } } })
      ]));
      return box;
    }
    box = el("section", { "class": "trombi-mine__who", "aria-labelledby": "mine-who" });
    var input = el("input", { id: "mine-who-input", type: "text", list: "mine-who-list", autocomplete: "off", required: true, "data-mine-who-input": true });
    var list = el("datalist", { id: "mine-who-list" });
    var message = el("p", { "class": "trombi-muted", "data-mine-who-message": true });
    autocomplete(input, list);
    box.appendChild(el("h2", { id: "mine-who", text: MESSAGES.who }));
    box.appendChild(el("form", { on: { submit: function (event) {
      event.preventDefault();
      var found = resolve(input.value);
      if (found === NOBODY) { message.textContent = MESSAGES.unknown; input.focus(); return; }
      state.data.me = state.facts.handles[found];
      store();
      render("[data-mine-change]");
    } } }, [field("mine-who-input", MESSAGES.whoLabel, input), list,
      el("p", {}, [el("button", { type: "submit", "class": "md-button md-button--primary", text: MESSAGES.whoButton })])]));
    box.appendChild(message);
    return box;
  }

  function personLabel(item) {
    var parts = [];
    if (item.handle && state.facts && has(state.facts.byHandle, item.handle)) {
      var kind = state.facts.kindOf[state.facts.byHandle[item.handle]];
      if (kind) parts.push(MESSAGES.kinds[String(kind)]);
    }
    if (item.outside) parts.push(item.organisation ? item.organisation + ", " + MESSAGES.outside : MESSAGES.outside);
    return parts.join(", ");
  }

  function nameNode(item) {
    var name = item.handle ? el("a", { href: personUrl(item.handle), text: item.name }) : el("strong", { text: item.name });
    var label = personLabel(item);
    return label ? el("span", {}, [name, " ", el("span", { "class": "trombi-mine__mark", text: "(" + label + ")" })]) : name;
  }

  function summary(item) {
    var parts = [];
    if (item.trust !== null) parts.push(say(MESSAGES.summaryTrust, { value: item.trust }));
    if (item.frequency) parts.push(MESSAGES.frequencies[item.frequency]);
    if (item.last_contact) parts.push(say(MESSAGES.summaryLast, { date: dateWords(item.last_contact) }));
    if (item.next_action) parts.push(say(MESSAGES.summaryNext, { action: item.next_action }));
    return parts.join(" · ");
  }

  function relationshipItem(item) {
    var li = el("li", { "data-mine-id": item.id }, [nameNode(item)]);
    var said = summary(item);
    if (said) li.appendChild(el("span", { "class": "trombi-mine__summary trombi-muted", text: " — " + said }));
    if (state.editing === item.id) { li.appendChild(editor(item)); return li; }
    li.appendChild(el("span", { "class": "trombi-mine__actions" }, [
      el("button", { type: "button", "class": "trombi-mine__small", "data-mine-edit": item.id, "aria-label": MESSAGES.edit + " — " + item.name, text: MESSAGES.edit, on: { click: function () {
        state.editing = item.id;
        render("#mine-" + item.id + "-circle");
      } } }),
      el("button", { type: "button", "class": "trombi-mine__small", "data-mine-remove": item.id, "aria-label": MESSAGES.remove + " — " + item.name, text: MESSAGES.remove, on: { click: function () {
        state.data.relationships = state.data.relationships.filter(function (other) { return other.id !== item.id; });
        store();
        render("#mine-circles");
        status(say(MESSAGES.removed, { name: item.name }));
      } } })
    ]));
    return li;
  }

  function select(id, options, value) {
    var node = el("select", { id: id });
    options.forEach(function (option) {
      node.appendChild(el("option", { value: option[0], selected: String(value) === option[0], text: option[1] }));
    });
    return node;
  }

  function editor(item) {
    var id = "mine-" + item.id + "-";
    var scores = [["", MESSAGES.fields.none], ["1", "1"], ["2", "2"], ["3", "3"], ["4", "4"], ["5", "5"]];
    var controls = {
      circle: select(id + "circle", CIRCLES.map(function (c) { return [c, MESSAGES.circles[c]]; }), item.circle),
      organisation: el("input", { id: id + "organisation", type: "text", maxlength: 200, value: item.organisation }),
      frequency: select(id + "frequency", [["", MESSAGES.fields.none]].concat(FREQUENCIES.map(function (f) { return [f, MESSAGES.frequencies[f]]; })), item.frequency === null ? "" : item.frequency),
      last_contact: el("input", { id: id + "last_contact", type: "date", value: item.last_contact || "" }),
      last_nature: el("input", { id: id + "last_nature", type: "text", maxlength: 200, value: item.last_nature }),
      last_outcome: el("textarea", { id: id + "last_outcome", rows: 2, maxlength: 2000 }),
      intensity: select(id + "intensity", scores, item.intensity === null ? "" : item.intensity),
      trust: select(id + "trust", scores, item.trust === null ? "" : item.trust),
      reciprocal: select(id + "reciprocal", [["", MESSAGES.fields.none], ["yes", MESSAGES.fields.yes], ["no", MESSAGES.fields.no]], item.reciprocal === null ? "" : item.reciprocal ? "yes" : "no"),
      interest: el("textarea", { id: id + "interest", rows: 2, maxlength: 2000 }),
      power: select(id + "power", scores, item.power === null ? "" : item.power),
      next_action: el("textarea", { id: id + "next_action", rows: 2, maxlength: 2000 }),
      next_date: el("input", { id: id + "next_date", type: "date", value: item.next_date || "" })
    };
    controls.last_outcome.value = item.last_outcome;
    controls.interest.value = item.interest;
    controls.next_action.value = item.next_action;
    var brings = el("fieldset", { "class": "trombi-mine__brings" }, [el("legend", { text: MESSAGES.fields.brings })]);
    BRINGS.forEach(function (what) {
      brings.appendChild(el("label", {}, [el("input", { type: "checkbox", id: id + "brings-" + what, value: what, checked: item.brings.indexOf(what) >= 0 }), " " + MESSAGES.brings[what]]));
    });
    var form = el("form", { "class": "trombi-mine__editor", "aria-label": say(MESSAGES.editing, { name: item.name }), on: { submit: function (event) {
      event.preventDefault();
      var number = function (key) { return controls[key].value === "" ? null : Number(controls[key].value); };
      var day = function (key) { var v = controls[key].value; return DATE.test(v) && realDate(v) ? v : null; };
      item.circle = controls.circle.value;
      if (item.outside) item.organisation = oneLine(controls.organisation.value, 200);
      item.frequency = controls.frequency.value || null;
      item.last_contact = day("last_contact");
      item.last_nature = oneLine(controls.last_nature.value, 200);
      item.last_outcome = longText(controls.last_outcome.value);
      item.intensity = number("intensity");
      item.trust = number("trust");
      item.reciprocal = controls.reciprocal.value === "" ? null : controls.reciprocal.value === "yes";
      item.brings = BRINGS.filter(function (what) { return document.getElementById(id + "brings-" + what).checked; });
      item.interest = longText(controls.interest.value);
      item.power = number("power");
      item.next_action = longText(controls.next_action.value);
      item.next_date = day("next_date");
      state.editing = null;
      store();
      render('[data-mine-edit="' + item.id + '"]');
      status(MESSAGES.saved);
    } } });
    var order = [["circle", MESSAGES.fields.circle]];
    if (item.outside) order.push(["organisation", MESSAGES.fields.organisation]);
    order = order.concat([["frequency"], ["last_contact"], ["last_nature"], ["last_outcome"], ["intensity"], ["trust"], ["reciprocal"]]);
    order.forEach(function (pair) { form.appendChild(field(id + pair[0], pair[1] || MESSAGES.fields[pair[0]], controls[pair[0]])); });
    form.appendChild(brings);
    [["interest"], ["power"], ["next_action"], ["next_date"]].forEach(function (pair) { form.appendChild(field(id + pair[0], MESSAGES.fields[pair[0]], controls[pair[0]])); });
    form.appendChild(el("p", {}, [
      el("button", { type: "submit", "class": "md-button md-button--primary", text: MESSAGES.save }), " ",
      el("button", { type: "button", "class": "md-button", text: MESSAGES.cancel, on: { click: function () {
        state.editing = null;
        render('[data-mine-edit="' + item.id + '"]');
      } } })
    ]));
    return form;
  }

  function add(person, circle, outsideName) {  // a relationship for someone of the directory, or outside it by name
    var facts = state.facts;
    var handle = person === NOBODY ? null : facts.handles[person];
    var name = person === NOBODY ? oneLine(outsideName, 200) : oneLine(facts.names[person], 200);
    if (handle && relationshipOf(handle)) { status(say(MESSAGES.already, { name: name }), true); return null; }
    if (state.data.relationships.length >= MAX_RELATIONSHIPS) { status(MESSAGES.full, true); return null; }
    var item = normalised({ id: newId(), handle: handle, name: name, outside: handle === null, circle: circle });
    state.data.relationships.push(item);
    store();
    status(say(MESSAGES.added, { name: name, circle: lowerFirst(MESSAGES.circles[circle]) }));
    return item;
  }

  function cold(item, day) {  // when the last contact (or the day it was added) is older than the frequency allows
    if (!item.frequency) return false;
    var from = item.last_contact || item.added;
    return dayNumber(from) + PERIOD_DAYS[item.frequency] < dayNumber(day);
  }

  function picture(relationships, day) {  // the three circles: a sector each, the closer to the middle the more intense
    var size = 360, middle = size / 2;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("class", "trombi-mine__picture");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", MESSAGES.picture);
    function shape(tag, attributes, parent) {
      var node = document.createElementNS(SVG, tag);
      for (var key in attributes) node.setAttribute(key, attributes[key]);
      (parent || svg).appendChild(node);
      return node;
    }
    [150, 110, 70].forEach(function (radius) { shape("circle", { cx: middle, cy: middle, r: radius, "class": "trombi-mine__ring" }); });
    CIRCLES.forEach(function (circle, k) {
      var start = -Math.PI / 2 + k * 2 * Math.PI / 3;
      shape("line", { x1: middle, y1: middle, x2: middle + 150 * Math.cos(start), y2: middle + 150 * Math.sin(start), "class": "trombi-mine__ring" });
      var centre = start + Math.PI / 3;
      var label = shape("text", { x: middle + 166 * Math.cos(centre), y: middle + 166 * Math.sin(centre) + 4, "class": "trombi-mine__label", "text-anchor": "middle" });
      label.textContent = MESSAGES.circleShort[circle];
      var mine = relationships.filter(function (item) { return item.circle === circle; });
      var shown = mine.slice(0, 40);
      shown.forEach(function (item, n) {
        var angle = start + (n + 1) * (2 * Math.PI / 3) / (shown.length + 1);
        var radius = item.intensity === null ? 135 : 40 + (5 - item.intensity) * 24;
        var x = middle + radius * Math.cos(angle), y = middle + radius * Math.sin(angle);
        var group = shape("g", { "class": "trombi-mine__dot" + (cold(item, day) ? " trombi-mine__dot--cold" : "") });
        shape("title", {}, group).textContent = item.name + (summary(item) ? " — " + summary(item) : "");
        if (cold(item, day)) shape("circle", { cx: x, cy: y, r: 11, "class": "trombi-mine__cold" }, group);
        shape("circle", { cx: x, cy: y, r: 7, "fill-opacity": item.trust === null ? 0.45 : 0.3 + item.trust * 0.14 }, group);
      });
      if (mine.length > shown.length) {
        var more = shape("text", { x: middle + 100 * Math.cos(centre), y: middle + 100 * Math.sin(centre), "class": "trombi-mine__label", "text-anchor": "middle" });
        more.textContent = "+" + (mine.length - shown.length);
      }
    });
    shape("circle", { cx: middle, cy: middle, r: 9, "class": "trombi-mine__me" });
    return svg;
  }

  function circlesSection(day) {
    var section = el("section", { "aria-labelledby": "mine-circles", "class": "trombi-mine__circles" }, [el("h2", { id: "mine-circles", tabindex: -1, text: MESSAGES.circlesHeading })]);
    var relationships = state.data.relationships;
    section.appendChild(el("figure", { "class": "trombi-mine__figure" }, [picture(relationships, day)]));
    CIRCLES.forEach(function (circle) {
      var mine = relationships.filter(function (item) { return item.circle === circle; });
      section.appendChild(el("h3", { id: "mine-circle-" + circle, text: MESSAGES.circles[circle] + " (" + mine.length + ")" }));
      if (!mine.length) { section.appendChild(el("p", { "class": "trombi-muted", text: MESSAGES.empty })); return; }
      section.appendChild(el("ul", { "class": "trombi-mine__list", "data-mine-circle": circle }, mine.map(relationshipItem)));
    });
    return section;
  }

  function addSection() {
    var input = el("input", { id: "mine-add-input", type: "text", list: "mine-add-list", autocomplete: "off", maxlength: 200, "data-mine-add-input": true });
    var list = el("datalist", { id: "mine-add-list" });
    var circle = select("mine-add-circle", CIRCLES.map(function (c) { return [c, MESSAGES.circles[c]]; }), "information");
    autocomplete(input, list);
    var section = el("section", { "aria-labelledby": "mine-add" }, [el("h2", { id: "mine-add", text: MESSAGES.add })]);
    var form = el("form", { "class": "trombi-mine__add", on: { submit: function (event) {
      event.preventDefault();
      var typed = oneLine(input.value, 200);
      if (!typed) return;
      var found = resolve(typed);
      if (found === NOBODY) {
        state.pendingOutside = { name: typed, circle: circle.value };
        render("[data-mine-outside]");
        return;
      }
      state.pendingOutside = null;
      var item = add(found, circle.value);
      if (item) render('[data-mine-edit="' + item.id + '"]');
    } } }, [field("mine-add-input", MESSAGES.addLabel, input), list, field("mine-add-circle", MESSAGES.addCircle, circle),
      el("p", {}, [el("button", { type: "submit", "class": "md-button md-button--primary", text: MESSAGES.addButton })])]);
    section.appendChild(form);
    var pending = state.pendingOutside;
    if (pending) {
      input.value = pending.name;
      circle.value = pending.circle;
      section.appendChild(el("p", { "class": "trombi-mine__outside" }, [say(MESSAGES.addOutside, { name: pending.name }) + " ",
        el("button", { type: "button", "class": "md-button", "data-mine-outside": true, text: MESSAGES.addOutsideButton, on: { click: function () {
          state.pendingOutside = null;
          var item = add(NOBODY, pending.circle, pending.name);
          if (item) { state.editing = item.id; render("#mine-" + item.id + "-organisation"); }
        } } })]));
    }
    return section;
  }

  function suggestionsSection() {
    var section = el("section", { "aria-labelledby": "mine-suggestions" }, [el("h2", { id: "mine-suggestions", text: MESSAGES.suggestions })]);
    var facts = state.facts, index = me();
    if (!facts || index === NOBODY) return null;
    if (!state.suggested || state.suggested.me !== index) state.suggested = { me: index, list: suggest(facts, index) };
    var left = state.suggested.list.filter(function (s) { return !relationshipOf(facts.handles[s.person]); });
    CIRCLES.forEach(function (circle) {
      var mine = left.filter(function (s) { return s.circle === circle; });
      section.appendChild(el("h3", { text: MESSAGES.circles[circle] }));
      if (!mine.length) { section.appendChild(el("p", { "class": "trombi-muted", text: MESSAGES.noSuggestions })); return; }
      section.appendChild(el("ul", { "class": "trombi-mine__list", "data-mine-suggestions": circle }, mine.map(function (s) {
        var handle = facts.handles[s.person], name = facts.names[s.person];
        return el("li", { "data-mine-suggested": handle }, [
          el("a", { href: personUrl(handle), text: name }),
          el("span", { "class": "trombi-muted", text: " — " + facts.titles[facts.title[s.person]] }),
          el("br"),
          el("span", { "class": "trombi-mine__reasons", text: s.reasons.map(function (why) { return describe(facts, why); }).join(" · ") }), " ",
          el("button", { type: "button", "class": "trombi-mine__small", "data-mine-take": handle, text: MESSAGES.addShort,
            "aria-label": say(MESSAGES.addTo, { name: name, circle: lowerFirst(MESSAGES.circles[circle]) }), on: { click: function () {
              var item = add(s.person, circle);
              if (item) render('[data-mine-edit="' + item.id + '"]');
            } } })
        ]);
      })));
    });
    return section;
  }

  function actionsSection(day) {
    var section = el("section", { "aria-labelledby": "mine-actions" }, [el("h2", { id: "mine-actions", text: MESSAGES.actionsHeading })]);
    var planned = state.data.relationships.filter(function (item) { return item.next_action || item.next_date; });
    planned.sort(function (a, b) {
      if (a.next_date === b.next_date) return a.name.localeCompare(b.name);
      if (a.next_date === null) return 1;
      if (b.next_date === null) return -1;
      return a.next_date < b.next_date ? -1 : 1;
    });
    if (!planned.length) { section.appendChild(el("p", { "class": "trombi-muted", text: MESSAGES.noActions })); return section; }
    section.appendChild(el("ol", { "class": "trombi-mine__list", "data-mine-actions": true }, planned.map(function (item) {
      var late = item.next_date && item.next_date < day;
      return el("li", { "class": late ? "trombi-mine__late" : null }, [
        item.next_date ? el("strong", { text: dateWords(item.next_date) }) : null, item.next_date ? " — " : "",
        nameNode(item), item.next_action ? MESSAGES.colon + " " + item.next_action : "",
        late ? el("span", { "class": "trombi-mine__badge", text: MESSAGES.overdue }) : null
      ]);
    })));
    return section;
  }

  function coldSection(day) {
    var section = el("section", { "aria-labelledby": "mine-cold" }, [el("h2", { id: "mine-cold", text: MESSAGES.coldHeading })]);
    var cooling = state.data.relationships.filter(function (item) { return cold(item, day); });
    cooling.sort(function (a, b) {
      var late = function (item) { return dayNumber(day) - dayNumber(item.last_contact || item.added) - PERIOD_DAYS[item.frequency]; };
      return late(b) - late(a) || a.name.localeCompare(b.name);
    });
    if (!cooling.length) { section.appendChild(el("p", { "class": "trombi-muted", text: MESSAGES.noCold })); return section; }
    section.appendChild(el("ul", { "class": "trombi-mine__list", "data-mine-cold": true }, cooling.map(function (item) {
      var said = item.last_contact
        ? say(MESSAGES.cold, { date: dateWords(item.last_contact), frequency: MESSAGES.frequencies[item.frequency] })
        : say(MESSAGES.never, { frequency: MESSAGES.frequencies[item.frequency] });
      return el("li", {}, [nameNode(item), el("span", { "class": "trombi-muted", text: " — " + said })]);
    })));
    return section;
  }

  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = el("a", { href: url, download: name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function exported() {
    var data = { format: FORMAT, version: 1, me: state.data.me, exported: new Date().toISOString(), relationships: state.data.relationships };
    return data;
  }

  function importFile(file) {
    file.text().then(function (text) {
      var trimmed = text.replace(/^\ufeff/, "").trim(), data = null;
      if (trimmed.charAt(0) === "{" || trimmed.charAt(0) === "[") {
        try { data = JSON.parse(trimmed); } catch (error) { return refuse([MESSAGES.notJson]); }
      } else {
        data = fromCsv(text, state.data.me);
        if (!data) return refuse([MESSAGES.notJson]);
      }
      var problems = checkNetwork(data);
      if (problems.length) {
        var said = problems.slice(0, 5).map(function (p) { return say(MESSAGES.problems[p[0]], Object.assign({ path: p[1] }, p[2])); });
        if (problems.length > 5) said.push(say(MESSAGES.problems.more, { count: problems.length - 5 }));
        return refuse(said);
      }
      var count = state.data.relationships.length;
      if (count && !window.confirm(say(MESSAGES.confirmImport, { count: count }))) return;
      state.data = adopt(data);
      if (!state.data.me) state.data.me = null;
      state.unreadable = null;
      state.editing = null;
      store();
      render("#mine-circles");
      status(say(MESSAGES.imported, { count: state.data.relationships.length }));
    });
  }

  function refuse(problems) {
    status(MESSAGES.refused + " " + problems.join(MESSAGES.semicolon + " "), true);
    statusLine.focus();
  }

  function dataSection() {
    var section = el("section", { "aria-labelledby": "mine-data" }, [el("h2", { id: "mine-data", text: MESSAGES.dataHeading })]);
    var file = el("input", { id: "mine-import", type: "file", accept: ".json,.csv,application/json,text/csv", "data-mine-import": true, on: { change: function () {
      if (file.files.length) importFile(file.files[0]);
      file.value = "";
    } } });
    section.appendChild(el("p", {}, [
      el("button", { type: "button", "class": "md-button", "data-mine-export": "json", text: MESSAGES.exportJson, on: { click: function () {
        download("my-network-" + today() + ".json", "application/json", JSON.stringify(exported(), null, 2) + "\n");
      } } }), " ",
      el("button", { type: "button", "class": "md-button", "data-mine-export": "csv", text: MESSAGES.exportCsv, on: { click: function () {
        download("my-network-" + today() + ".csv", "text/csv", toCsv(state.data));
      } } })
    ]));
    section.appendChild(field("mine-import", MESSAGES.importLabel, file));
    section.appendChild(el("p", { "class": "trombi-muted" }, [MESSAGES.schemaNote + " ", el("a", { href: root.getAttribute("data-schema"), text: MESSAGES.schemaLink })]));
    section.appendChild(el("p", {}, [el("button", { type: "button", "class": "md-button trombi-mine__forget", "data-mine-forget": true, text: MESSAGES.forget, on: { click: function () {
      if (!window.confirm(MESSAGES.confirmForget)) return;
      try { window.localStorage.removeItem(STORAGE_KEY); } catch (error) { /* nothing kept */ }
      state.data = blank();
      state.unreadable = null;
      state.editing = null;
      state.pendingOutside = null;
      render("[data-mine-who-input]");
      status(MESSAGES.forgotten);
    } } })]));
    return section;
  }

  function render(focus) {
    var day = today();
    var body = root.querySelector(".trombi-mine__body");
    body.textContent = "";
    if (state.unreadable) body.appendChild(el("p", { "class": "trombi-mine__status--alert", text: MESSAGES.unreadable }));
    if (state.facts) body.appendChild(identify());
    else if (state.loading) body.appendChild(el("p", { "class": "trombi-muted", text: MESSAGES.loading }));
    if (state.facts && me() === NOBODY && !state.data.relationships.length) {
      body.appendChild(dataSection());
    } else {
      [circlesSection(day), state.facts ? addSection() : null, actionsSection(day), coldSection(day), suggestionsSection(), dataSection()]
        .forEach(function (section) { if (section) body.appendChild(section); });
    }
    root.setAttribute("data-mine-ready", "");
    if (focus) {
      var target = root.querySelector(focus);
      if (target) target.focus();
    }
  }

  function start() {
    root = document.querySelector("[data-trombi-mine]");
    if (!root) return;
    root.textContent = "";
    statusLine = el("p", { "class": "trombi-mine__status", role: "status", tabindex: -1, "data-mine-status": true });
    root.appendChild(statusLine);
    root.appendChild(el("div", { "class": "trombi-mine__body" }));
    var kept = load();
    state.data = kept.data;
    state.unreadable = kept.unreadable || null;
    if (!kept.stored) status(MESSAGES.notStored, true);
    state.loading = true;
    render();
    fetch(root.getAttribute("data-facts")).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (facts) {
      state.facts = prepare(facts);
      state.loading = false;
      render();
    }).catch(function () {
      state.loading = false;
      render();
      status(MESSAGES.unavailable, true);
    });
    // Another tab of the site changed the network: show it as it is now.
    window.addEventListener("storage", function (event) {
      if (event.key !== STORAGE_KEY && event.key !== null) return;
      var again = load();
      state.data = again.data;
      state.unreadable = again.unreadable || null;
      state.editing = null;
      render();
    });
  }

  // What the tests compare with `trombi network suggest` and the schema (nothing of the person's network).
  window.trombiMyNetwork = { check: checkNetwork, suggest: function (handle) {
    var facts = state.facts;
    if (!facts || !has(facts.byHandle, handle)) return null;
    return suggest(facts, facts.byHandle[handle]).map(function (s) {
      return { handle: facts.handles[s.person], circle: s.circle, reasons: s.reasons.map(function (why) { return { code: why.code, text: describe(facts, why) }; }) };
    });
  } };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
