/* The profile form (edit/): a person fills in their profile, the page checks it with the rules of
   `trombi validate` (the published JSON Schema, run by the vendored validator, then the rules between
   files that the page can check), writes people/<handle>.yaml as a person would, and opens the git
   host's own page to propose it. Nothing typed is stored or sent anywhere but to that page.

   - A new profile follows the skeleton of `trombi new` (its lines, order and comments, said in the
     site's language: assets/form-directory.json, generator/site/form.py).
   - An existing profile starts from its file as published for the form (edit/profiles/<n>.json.gz, a
     gzipped shard of a few hundred files, read with the browser's DecompressionStream; its text without
     private values, parsed by the vendored YAML parser); only the lines of what changed are written
     anew, so that comments and layout stay and the diff is what the person changed.
   - A file with private lines (which the page never has) is not pasted whole: the page says each edit
     to make, at its line numbers in the real file, and the private lines stay where they are.
   - The address may carry one change to make, from the site's one-click actions: ?handle=, ?new=1,
     ?skill=, ?join=, ?leave=, ?lunch=1|0, ?snooze=YYYY-MM-DD.

   Every value is shown with textContent or as a form value: nothing typed or published is read as HTML. */
import { Validator } from "./vendor/cfworker-json-schema/index.js";
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from "./vendor/yaml/index.js";

const MESSAGES = {/* messages: written by the build, generator/site/form.py */};

// --- words and text ----------------------------------------------------------------------------

function t(key, values) {
  let text = MESSAGES[key] || key;
  for (const [name, value] of Object.entries(values || {})) text = text.split("%(" + name + ")s").join(String(value));
  return text;
}

function fold(text) {
  return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
}

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

function codePoints(text) {
  return Array.from(text).length;
}

// Closest candidates to a word, as difflib's ratio ranks them (generator/directory/check.py's suggest):
// twice the matching characters over both lengths, at least 0.6.
function closest(word, candidates, count) {
  const folded = fold(word);
  const scored = [];
  for (const candidate of candidates) {
    const other = fold(candidate);
    const score = (2 * commonLength(folded, other)) / ((folded.length + other.length) || 1);
    if (score >= 0.6) scored.push([score, candidate]);
  }
  scored.sort((a, b) => b[0] - a[0]);
  return Array.from(new Set(scored.map((item) => item[1]))).slice(0, count || 3);
}

function commonLength(a, b) {
  const row = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let previous = 0;
    for (let j = 1; j <= b.length; j++) {
      const kept = row[j];
      row[j] = a[i - 1] === b[j - 1] ? previous + 1 : Math.max(row[j], row[j - 1]);
      previous = kept;
    }
  }
  return row[b.length];
}

function didYouMean(word, candidates) {
  const found = closest(word, candidates);
  return found.length ? t("didYouMean", { choices: found.map((c) => t("quoted", { text: c })).join(t("or")) }) : "";
}

// --- YAML as a person writes it ----------------------------------------------------------------

// Characters YAML reads differently or refuses, escaped in a double-quoted scalar as `trombi new` does
// (generator/directory/scaffold.py's _scalar).
const YAML_UNSAFE = /[\x7f-\x9f\u2028\u2029\ufeff]/g;
const NOT_PLAIN = /[\x00-\x1f\x7f-\x9f\u00a0\u2028\u2029\ufeff"]|: |:$| #|\s$/;
const SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(:[0-9_]+)+(\.[0-9_]*)?$/;  // 12:30 is a number to YAML 1.1 readers
const YAML_WORDS = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const NUMBER = /^[-+]?(\.[0-9]|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?$|0[box])/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

function quoted(text) {
  return JSON.stringify(text).replace(YAML_UNSAFE, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

// A value as a person types it (`name: Jeanne Dupont`), quoted only when YAML would read it otherwise.
function scalar(value, inFlow) {
  if (typeof value === "boolean") return String(value);
  const text = String(value);
  if (DATE.test(text)) return text;
  const plain = /^[\p{L}\p{N}]/u.test(text) && !NOT_PLAIN.test(text) && !YAML_WORDS.test(text) && !NUMBER.test(text) && !SEXAGESIMAL.test(text) && !(inFlow && /[,[\]{}]/.test(text));
  return plain ? text : quoted(text);
}

function flowList(items) {
  return "[" + items.map((item) => scalar(item, true)).join(", ") + "]";
}

function skillItem(skill) {
  return "{name: " + scalar(skill.name, true) + ", level: " + skill.level + "}";
}

function contactValue(entry) {
  if (typeof entry === "string") return scalar(entry);
  return "{value: " + scalar(entry.value, true) + ", visibility: " + entry.visibility + "}";
}

// Markdown over several lines, as a literal block: `bio: |` then the text indented by two spaces.
function literal(key, text, indent) {
  const body = String(text).replace(/\s+$/, "");
  const lines = body.split("\n");
  const header = indent + key + ": |" + (/^\s/.test(lines[0]) ? "2" : "");
  return [header].concat(lines.map((line) => (line ? indent + "  " + line : "")));
}

// A line's trailing comment, with the spaces before it: what a rewritten line keeps.
function trailingComment(line) {
  let quote = "";
  for (let index = 0; index < line.length; index++) {
    const character = line[index];
    if (quote) {
      if (character === "\\" && quote === '"') index++;
      else if (character === quote) quote = "";
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === "#" && (index === 0 || /\s/.test(line[index - 1]))) {
      const start = line.slice(0, index).search(/\s*$/);
      return line.slice(start);
    }
  }
  return "";
}

function withComment(text, comment, column) {
  if (!comment) return text;
  const width = codePoints(text);
  return text + " ".repeat(Math.max(0, column - 1 - width)) + " # " + comment;
}

// --- the page ----------------------------------------------------------------------------------

function start(container) {
  const form = new ProfileForm(container);
  form.load().catch(() => form.unavailable());
}

class ProfileForm {
  constructor(container) {
    this.root = container;
    this.notice = container.querySelector("[data-notice]");
    this.startSection = container.querySelector("[data-start]");
    this.profile = container.querySelector("[data-profile]");
    this.result = container.querySelector("[data-result]");
    this.skills = [];
    this.chosen = { languages: [], groups: [] };
    this.layout = null;
    this.handle = null;
    this.checkedOnce = false;
    this.params = new URLSearchParams(window.location.search);
    container.hidden = false;
  }

  async load() {
    const [directory, people, schema] = await Promise.all(
      ["directory", "people", "schema"].map((name) => fetch(this.root.dataset[name]).then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })),
    );
    this.prepare(directory, people, schema);
    this.wire();
    const handle = this.params.get("handle");
    if (handle) {
      await this.open(handle);
    } else if (this.params.has("new")) {
      this.startNew();
    } else {
      const pending = this.describePending();
      if (pending) this.say(t("sayWhoFirst", { change: pending }));
      this.startSection.querySelector("[data-who]").focus();
    }
    // The start section shows before the directory is read: this tells a script (or a test) that the form now answers.
    this.root.dataset.ready = "";
  }

  unavailable() {
    this.say(t("unavailable"));
  }

  say(text) {
    this.notice.textContent = text;
  }

  prepare(directory, people, schema) {
    this.dir = directory;
    this.schema = schema;
    this.validator = new Validator(schema, "2020-12", false);
    this.fields = Object.keys(schema.properties);
    this.contactKinds = Object.keys(schema.$defs.Contact.properties);
    this.networkingKeys = Object.keys(schema.$defs.Networking.properties);
    this.defaults = { kind: schema.properties.kind.default, search: schema.properties.search.default };
    this.lunchDefault = schema.$defs.Networking.properties.lunch.default;
    this.groups = new Map(directory.groups.map(([slug, name, type, open]) => [slug, { slug, name, type, open }]));
    this.skillNames = new Map();
    for (const [name, , aliases] of directory.skills) {
      for (const term of [name, ...aliases]) this.skillNames.set(term.trim().toLowerCase(), name);
    }
    this.languageNames = new Map(directory.languages);
    this.timezones = new Set(directory.timezones);
    this.people = people.people;
    this.byHandle = new Map(this.people.map((person, index) => [person[0], index]));
    this.hidden = new Set(directory.hidden);
    this.levels = directory.levels;
    this.fillLists();
  }

  fillLists() {
    const options = (id, items) => {
      const list = document.getElementById(id);
      list.replaceChildren(...items.map(([value, label]) => element("option", { value, label })));
    };
    const groups = Array.from(this.groups.values());
    options("trombi-teams", groups.filter((g) => g.type === "team").map((g) => [g.slug, g.name]));
    options("trombi-groups", groups.filter((g) => g.open && !ORG_TYPES.includes(g.type)).map((g) => [g.slug, g.name]));
    options("trombi-sites", this.dir.sites.map((site) => [site, site]));
    options("trombi-timezones", this.dir.timezones.map((zone) => [zone, zone]));
    options("trombi-languages", this.dir.languages.map(([code, name]) => [code, name]));
    const skills = [];
    for (const [name, category, aliases] of this.dir.skills) {
      skills.push([name, category]);
      for (const alias of aliases) skills.push([alias, name + " · " + category]);
    }
    options("trombi-skills", skills);
  }

  // People are many: the list offers the first few whose name or handle starts like what is typed.
  suggestPeople(text) {
    const wanted = fold(text);
    const found = [];
    if (wanted.length >= 1) {
      for (const [handle, name] of this.people) {
        if (fold(name).split(/\s+/).some((word) => word.startsWith(wanted)) || fold(name).startsWith(wanted) || handle.startsWith(wanted)) {
          found.push([handle, name]);
          if (found.length >= 20) break;
        }
      }
    }
    document.getElementById("trombi-people").replaceChildren(...found.map(([value, label]) => element("option", { value, label })));
  }

  // A handle, from a handle or a name as typed; null when nobody has it.
  person(text) {
    const typed = String(text).trim();
    if (this.byHandle.has(typed) || this.hidden.has(typed)) return typed;
    const lower = typed.toLowerCase();
    if (this.byHandle.has(lower) || this.hidden.has(lower)) return lower;
    const wanted = fold(typed);
    const found = this.people.filter(([, name]) => fold(name) === wanted);
    return found.length === 1 ? found[0][0] : null;
  }

  wire() {
    const who = this.startSection.querySelector("[data-who]");
    who.addEventListener("input", () => this.suggestPeople(who.value));
    this.startSection.querySelector("[data-start-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      const error = this.startSection.querySelector("[data-start-error]");
      const handle = this.person(who.value);
      if (!handle) {
        error.textContent = t("nobody");
        error.hidden = false;
        who.setAttribute("aria-invalid", "true");
        who.focus();
        return;
      }
      error.hidden = true;
      who.removeAttribute("aria-invalid");
      this.open(handle);
    });
    this.startSection.querySelector("[data-new]").addEventListener("click", () => this.startNew());
    const manager = this.input("manager");
    manager.addEventListener("input", () => this.suggestPeople(manager.value));
    for (const name of ["team", "manager"]) this.input(name).addEventListener("input", () => this.nameChosen(name));
    for (const name of Object.keys(this.chosen)) this.wireChooser(name);
    this.profile.querySelector("[data-add-skill]").addEventListener("click", () => {
      this.readSkills();
      this.skills.push({ name: "", level: "intermediate", text: null });
      this.renderSkills();
      this.profile.querySelector("#f-skills-" + (this.skills.length - 1)).focus();
    });
    this.profile.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.profile.addEventListener("input", () => {
      if (this.checkedOnce) this.showProblems(this.check(this.collect()), false);
    });
    this.result.querySelector("[data-back]").addEventListener("click", () => {
      this.result.hidden = true;
      this.profile.hidden = false;
      this.profile.querySelector("[data-submit]").focus();
    });
  }

  input(name) {
    return this.profile.querySelector("#f-" + name.replace(/\./g, "-"));
  }

  wireChooser(name) {
    const box = this.profile.querySelector('[data-chooser="' + name + '"]');
    const input = box.querySelector("[data-choose]");
    const add = () => {
      const value = this.resolveChoice(name, input.value);
      if (!value) return;
      if (!this.chosen[name].includes(value)) this.chosen[name].push(value);
      input.value = "";
      this.renderChooser(name);
      if (this.checkedOnce) this.showProblems(this.check(this.collect()), false);
      input.focus();
    };
    box.querySelector("[data-add]").addEventListener("click", add);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        add();
      }
    });
  }

  resolveChoice(name, typed) {
    const text = typed.trim();
    if (!text) return null;
    if (name === "languages") {
      if (this.languageNames.has(text.toLowerCase())) return text.toLowerCase();
      const wanted = fold(text);
      for (const [code, label] of this.languageNames) if (fold(label) === wanted) return code;
      return text;
    }
    if (this.groups.has(text)) return text;
    const wanted = fold(text);
    for (const group of this.groups.values()) if (fold(group.name) === wanted) return group.slug;
    return text;
  }

  choiceLabel(name, value) {
    if (name === "languages") return this.languageNames.get(value) || value;
    const group = this.groups.get(value);
    return group ? group.name : value;
  }

  renderChooser(name) {
    const list = this.profile.querySelector('[data-chooser="' + name + '"] [data-chosen]');
    list.replaceChildren(...this.chosen[name].map((value, index) => {
      const label = this.choiceLabel(name, value);
      const item = element("li", { class: "trombi-form__choice" });
      item.append(element("span", {}, label));
      const remove = element("button", { type: "button", class: "trombi-form__remove", "aria-label": t("remove", { item: label }) }, "×");
      remove.addEventListener("click", () => {
        this.chosen[name].splice(index, 1);
        this.renderChooser(name);
        this.profile.querySelector("#f-" + name).focus();
      });
      item.append(remove);
      return item;
    }));
    list.hidden = !this.chosen[name].length;
  }

  readSkills() {
    this.profile.querySelectorAll("[data-skill-row]").forEach((row, index) => {
      const skill = this.skills[index];
      skill.name = row.querySelector("[data-skill-name]").value;
      skill.level = row.querySelector("[data-skill-level]").value;
    });
  }

  renderSkills() {
    const list = this.profile.querySelector("[data-skills]");
    list.replaceChildren(...this.skills.map((skill, index) => {
      const id = "f-skills-" + index;
      const row = element("li", { class: "trombi-form__skill", "data-skill-row": true, "data-field": "skills." + index });
      const name = element("input", { id, type: "text", autocomplete: "off", list: "trombi-skills", "aria-describedby": id + "-error", "data-skill-name": true });
      name.value = skill.name;
      const level = element("select", { id: id + "-level", "data-skill-level": true });
      for (const [value, label] of this.levels) level.append(element("option", { value }, label));
      level.value = skill.level;
      const remove = element("button", { type: "button", class: "md-button trombi-form__remove-skill" }, t("removeSkill"));
      remove.setAttribute("aria-label", t("remove", { item: skill.name || t("skillNumber", { number: index + 1 }) }));
      remove.addEventListener("click", () => {
        this.readSkills();
        this.skills.splice(index, 1);
        this.renderSkills();
        this.profile.querySelector("[data-add-skill]").focus();
      });
      const nameField = element("div", { class: "trombi-form__skill-name" });
      nameField.append(element("label", { for: id }, t("skillNumber", { number: index + 1 })), name);
      const levelField = element("div", { class: "trombi-form__skill-level" });
      levelField.append(element("label", { for: id + "-level" }, t("level")), level);
      row.append(nameField, levelField, remove, element("p", { class: "trombi-field__error", id: id + "-error", "data-error": true, hidden: true }));
      return row;
    }));
  }

  // A team and a manager are written as a slug and a handle: the name they stand for is shown below.
  nameChosen(field) {
    const input = this.input(field);
    const value = input.value.trim();
    let name = "";
    if (field === "team" && this.groups.has(value)) name = this.groups.get(value).name;
    if (field === "manager" && this.byHandle.has(value)) name = this.people[this.byHandle.get(value)][1];
    let shown = input.parentElement.querySelector("[data-named]");
    if (!shown) {
      shown = element("p", { class: "trombi-field__named", "data-named": true });
      input.after(shown);
    }
    shown.textContent = name && fold(name) !== fold(value) ? "→ " + name : "";
  }

  // --- opening a profile ----------------------------------------------------------------------

  async open(handle) {
    let layout;
    try {
      const shard = await this.shard(shardOf(handle, this.dir.shards));
      if (!Object.prototype.hasOwnProperty.call(shard, handle)) throw new Error(handle);
      layout = readProfile(shard[handle]);
    } catch (error) {
      this.say(t("cannotLoad", { handle }));
      this.startSection.hidden = false;
      return;
    }
    this.layout = layout;
    this.handle = handle;
    this.fill(layout.values);
    this.lockContact(layout.dropped.includes("contact"));
    this.show(t("editTitle", { name: layout.values.name || handle }));
    this.profile.querySelector("[data-private-kept]").hidden = false;
    this.applyPending();
  }

  // The shard that holds a profile: fetched once, as sent (gzip), and unzipped here.
  async shard(number) {
    this.shards = this.shards || new Map();
    if (!this.shards.has(number)) {
      const loading = fetch(this.root.dataset.profiles + number + ".json.gz").then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const bytes = new Uint8Array(await response.arrayBuffer());
        // A server that sends the file with Content-Encoding: gzip has the browser unzip it already.
        const zipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
        const body = zipped ? new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")) : new Blob([bytes]).stream();
        return JSON.parse(await new Response(body).text());
      });
      this.shards.set(number, loading);
      loading.catch(() => this.shards.delete(number));
    }
    return this.shards.get(number);
  }

  // Contact details written on one line with a private value are not published: the form leaves them.
  lockContact(locked) {
    const box = this.profile.querySelector("[data-contact]");
    box.disabled = locked;
    box.querySelector("[data-contact-locked]").hidden = !locked;
  }

  startNew() {
    this.layout = null;
    this.handle = null;
    this.lockContact(false);
    // As `trombi new`, a new profile speaks the site's language until told otherwise.
    const language = document.documentElement.lang;
    this.fill(this.languageNames.has(language) ? { languages: [language] } : {});
    this.show(t("newTitle"));
    this.applyPending();
  }

  show(title) {
    this.root.parentElement.querySelector("[data-form-title]").textContent = title;
    this.startSection.hidden = true;
    this.profile.hidden = false;
    this.result.hidden = true;
    this.profile.querySelector('[data-field="handle"]').hidden = Boolean(this.layout);
    this.profile.querySelector("[data-private-kept]").hidden = !this.layout;
    this.say("");
  }

  fill(values) {
    const text = (name, value) => { this.input(name).value = value === undefined || value === null ? "" : String(value); };
    for (const name of ["name", "pronouns", "title", "team", "manager", "location", "timezone", "joined", "company", "photo"]) text(name, values[name]);
    this.input("handle").value = "";
    this.input("kind").value = values.kind || this.defaults.kind;
    const contact = values.contact || {};
    for (const kind of this.contactKinds) {
      const entry = contact[kind];
      text("contact." + kind, typeof entry === "object" && entry ? entry.value : entry);
      this.profile.querySelector('[name="contact.' + kind + '.private"]').checked = Boolean(entry && typeof entry === "object" && entry.visibility === "private");
    }
    this.skills = (values.skills || []).map((item) => typeof item === "string" ? { name: item, level: "intermediate" } : { name: item.name, level: item.level || "intermediate" });
    this.renderSkills();
    for (const name of TEXT_LISTS) this.input(name).value = (values[name] || []).join("\n");
    this.chosen = { languages: [...(values.languages || [])], groups: [...(values.groups || [])] };
    for (const name of Object.keys(this.chosen)) this.renderChooser(name);
    const networking = values.networking || {};
    this.input("networking.lunch").checked = networking.lunch === true;
    text("networking.snooze_until", networking.snooze_until);
    this.input("search").checked = values.search === "hidden";
    this.input("bio").value = values.bio ? String(values.bio).replace(/\n$/, "") : "";
    for (const name of ["team", "manager"]) this.nameChosen(name);
  }

  // --- one-click changes from other pages -------------------------------------------------------

  describePending() {
    const skill = this.params.get("skill");
    if (skill) return t("pendingSkill", { skill });
    const join = this.params.get("join");
    if (join) return t("pendingJoin", { group: this.groups.get(join) ? this.groups.get(join).name : join });
    const leave = this.params.get("leave");
    if (leave) return t("pendingLeave", { group: this.groups.get(leave) ? this.groups.get(leave).name : leave });
    if (this.params.has("snooze")) return t("pendingSnooze", { date: this.params.get("snooze") });
    if (this.params.get("lunch") === "1") return t("pendingLunchOn");
    if (this.params.get("lunch") === "0") return t("pendingLunchOff");
    return "";
  }

  applyPending() {
    const said = [];
    const skill = this.params.get("skill");
    if (skill) {
      this.readSkills();
      const canonical = this.skillNames.get(skill.trim().toLowerCase());
      const held = this.skills.find((item) => this.skillNames.get(item.name.trim().toLowerCase()) === (canonical || skill));
      if (held) {
        said.push(t("alreadySkill", { skill: canonical || skill }));
      } else {
        this.skills.push({ name: canonical || skill, level: "intermediate" });
        this.renderSkills();
        said.push(t("addedSkill", { skill: canonical || skill }));
      }
    }
    for (const [param, joining] of [["join", true], ["leave", false]]) {
      const slug = this.params.get(param);
      if (!slug) continue;
      const group = this.groups.get(slug);
      const name = group ? group.name : slug;
      const member = this.chosen.groups.includes(slug);
      if (joining && (!group || !group.open || ORG_TYPES.includes(group.type))) {
        said.push(t("cannotJoin", { group: name }));
      } else if (joining === member) {
        said.push(t(joining ? "alreadyMember" : "notMember", { group: name }));
      } else {
        this.chosen.groups = joining ? [...this.chosen.groups, slug] : this.chosen.groups.filter((item) => item !== slug);
        this.renderChooser("groups");
        said.push(t(joining ? "joined" : "left", { group: name }));
      }
    }
    const lunch = this.params.get("lunch");
    if (lunch === "1" || lunch === "0") {
      this.input("networking.lunch").checked = lunch === "1";
      said.push(t(lunch === "1" ? "lunchOn" : "lunchOff"));
    }
    const snooze = this.params.get("snooze");
    if (snooze) {
      this.input("networking.snooze_until").value = DATE.test(snooze) ? snooze : "";
      said.push(DATE.test(snooze) ? t("snoozed", { date: snooze }) : t("badDate"));
    }
    // The change made is said at the top, where the page opens; the field it changed is further down.
    if (said.length) {
      said.push(t("thenPrepare"));
      this.say(said.join(" "));
      this.notice.focus();
    } else {
      this.input(this.layout ? "name" : "handle").focus();
    }
  }

  // --- what the file will hold ------------------------------------------------------------------

  collect() {
    const original = this.layout ? this.layout.values : {};
    const data = {};
    const text = (name) => this.input(name).value.trim();
    for (const name of ["name", "pronouns", "title", "team", "manager", "location", "timezone", "joined", "company", "photo"]) {
      let value = text(name);
      if (name === "team" && value) value = this.teamSlug(value);
      if (name === "manager" && value) value = this.person(value) || value;
      if (value) data[name] = value;
    }
    const kind = this.input("kind").value;
    if (kind !== this.defaults.kind || "kind" in original) data.kind = kind;
    const contact = {};
    for (const kind of this.contactKinds) {
      const value = text("contact." + kind);
      if (!value) continue;
      const secret = this.profile.querySelector('[name="contact.' + kind + '.private"]').checked;
      const was = (original.contact || {})[kind];
      contact[kind] = secret ? { value, visibility: "private" } : was && typeof was === "object" && was.value === value ? was : value;
    }
    if (Object.keys(contact).length) data.contact = contact;
    // Private lines under contact: stay in the file, so its key does too.
    if (!data.contact && this.layout && this.layout.privateIn.includes("contact")) data.contact = {};
    if (this.layout && this.layout.dropped.includes("contact")) delete data.contact;
    this.readSkills();
    const skills = this.skills.filter((skill) => skill.name.trim()).map((skill) => ({ name: skill.name.trim(), level: skill.level }));
    if (skills.length) data.skills = skills;
    for (const name of TEXT_LISTS) {
      const items = this.input(name).value.split("\n").map((line) => line.trim()).filter(Boolean);
      if (items.length || (name in original && !original[name].length)) data[name] = items;
    }
    for (const name of Object.keys(this.chosen)) {
      if (this.chosen[name].length || (name in original && !original[name].length)) data[name] = [...this.chosen[name]];
    }
    const networking = {};
    const was = original.networking || {};
    const lunch = this.input("networking.lunch").checked;
    if (lunch !== this.lunchDefault || "lunch" in was) networking.lunch = lunch;
    const snooze = text("networking.snooze_until");
    if (snooze) networking.snooze_until = snooze;
    if (Object.keys(networking).length || "networking" in original) data.networking = networking;
    const search = this.input("search").checked ? "hidden" : "visible";
    if (search !== this.defaults.search || "search" in original) data.search = search;
    const bio = this.input("bio").value.replace(/\r\n?/g, "\n").replace(/\s+$/, "");
    if (bio) data.bio = bio + "\n";
    return data;
  }

  teamSlug(typed) {
    if (this.groups.has(typed)) return typed;
    const wanted = fold(typed);
    const found = Array.from(this.groups.values()).filter((g) => g.type === "team" && fold(g.name) === wanted);
    return found.length === 1 ? found[0].slug : typed;
  }

  // --- the checks ---------------------------------------------------------------------------------

  // Every problem of the profile, one error a field: the rules between files speak first, since they
  // name what is wrong ("not a team of the directory") where the schema only says a slug's shape.
  check(data) {
    const problems = [];
    const add = (field, message, warning) => {
      if (warning || !problems.some((problem) => problem.field === field && !problem.warning)) problems.push({ field, message, warning: Boolean(warning) });
    };
    if (!this.layout) this.checkHandle(this.input("handle").value.trim(), add);
    this.rules(data, add);
    this.schemaProblems(data, add);
    return problems;
  }

  checkHandle(handle, add) {
    if (!handle) add("handle", t("required"));
    else if (/^(index|page-[0-9]+)$/.test(handle)) add("handle", t("reservedHandle"));
    else if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(handle)) add("handle", t("badHandle"));
    else if (this.byHandle.has(handle) || this.hidden.has(handle)) add("handle", t("takenHandle"));
  }

  // The schema's verdict, one message a field: the most telling of its errors (a value's own rule,
  // rather than the other forms an anyOf would also have taken).
  schemaProblems(data, add) {
    const result = this.validator.validate(data);
    const byField = new Map();
    for (const error of result.errors) {
      if (NOISE.has(error.keyword)) continue;
      let path = error.instanceLocation.replace(/^#\/?/, "").split("/").filter(Boolean);
      if (error.keyword === "required") {
        const missing = /"([^"]+)"/.exec(error.error);
        path = path.concat(missing ? [missing[1]] : []);
      }
      const field = fieldOf(path);
      const known = byField.get(field);
      if (!known || (known.error.keyword === "type" && error.keyword !== "type")) byField.set(field, { error, path });
    }
    for (const [field, { error, path }] of byField) add(field, this.schemaMessage(error, field, valueAt(data, path)));
  }

  schemaMessage(error, field, value) {
    const rule = schemaAt(this.schema, error.keywordLocation);
    switch (error.keyword) {
      case "required":
      case "minLength":
        return t("required");
      case "maxLength":
        return t("tooLong", { max: rule, found: codePoints(String(value)) });
      case "maxItems":
        return t("tooMany", { max: rule });
      case "enum":
      case "const":
        return t("notInList");
      case "pattern":
      case "format":
        return this.patternMessage(field, value);
      default:
        return t("invalid");
    }
  }

  patternMessage(field, value) {
    const text = String(value);
    if (field === "contact.email") return t("badEmail");
    if (field === "contact.github" || field === "contact.gitlab") {
      if (text.startsWith("@")) return t("loginAt", { login: text.replace(/^@+/, "") });
      return t(field === "contact.github" ? "badGithub" : "badGitlab");
    }
    if (field === "joined" || field === "networking.snooze_until") return t("badDate");
    if (field === "languages") return t("badLanguage");
    const found = (field === "bio" ? LONG_TEXT_REFUSED : ONE_LINE_REFUSED).exec(text);
    if (found) return t(field === "bio" ? "badLongText" : "badOneLine", { character: describe(found[0]) });
    return t("invalid");
  }

  rules(data, add) {
    if (data.team) {
      const group = this.groups.get(data.team);
      if (!group) add("team", t("noTeam", { hint: didYouMean(data.team, Array.from(this.groups.values()).filter((g) => g.type === "team").map((g) => g.name)) }));
      else if (group.type !== "team") add("team", t("notATeam", { group: group.name, type: this.dir.groupTypes[group.type] || group.type }));
    }
    if (data.manager) this.checkManager(data.manager, add);
    if (data.location && this.dir.sites.length && !this.dir.sites.some((site) => site.toLowerCase() === data.location.toLowerCase())) {
      add("location", t("unknownSite", { sites: this.dir.sites.join(", ") }), true);
    }
    if (data.timezone && !this.timezones.has(data.timezone)) add("timezone", t("badTimezone"));
    if (data.photo) {
      const problem = photoProblem(data.photo);
      if (problem) add("photo", t(problem));
    }
    const languages = data.languages || [];
    const unknown = languages.filter((code) => !this.languageNames.has(code));
    if (unknown.length) add("languages", t("unknownLanguage", { language: unknown[0] }));
    else if (new Set(languages).size < languages.length) add("languages", t("duplicate"));
    const canonical = new Map();
    (data.skills || []).forEach((skill, index) => {
      const name = this.skillNames.get(skill.name.trim().toLowerCase());
      if (!name) add("skills." + index, t("unknownSkill", { hint: this.skillHint(skill.name) }));
      else if (canonical.has(name)) add("skills." + index, t("duplicateSkill", { skill: name, item: canonical.get(name) + 1 }));
      else canonical.set(name, index);
    });
    const groups = data.groups || [];
    const wrong = groups.map((slug) => this.groupProblem(slug)).find(Boolean);
    if (wrong) add("groups", wrong);
    else if (new Set(groups).size < groups.length) add("groups", t("duplicate"));
    const phone = (data.contact || {}).phone;
    const number = typeof phone === "object" && phone ? phone.value : phone;
    if (number && number.replace(/\s/g, "") === this.dir.samplePhone.replace(/\s/g, "")) add("contact.phone", t("samplePhone"));
    if (data.bio && data.bio.includes(this.dir.sampleBio)) add("bio", t("sampleBio"));
    const contact = data.contact || {};
    if (!this.layout && !contact.github && !contact.gitlab) add("contact.github", t("noLogin"), true);
  }

  groupProblem(slug) {
    const group = this.groups.get(slug);
    if (!group) return t("noGroup", { group: slug, hint: didYouMean(slug, Array.from(this.groups.values()).map((g) => g.name)) });
    if (group.type === "team") return t("teamInGroups", { group: group.name });
    if (ORG_TYPES.includes(group.type)) return t("orgInGroups", { group: group.name });
    if (!group.open) return t("closedGroup", { group: group.name });
    return "";
  }

  // Skills close to a name, through their other names too ("kubernets" is close to no name but one).
  skillHint(name) {
    const found = closest(name, Array.from(this.skillNames.keys()), 6).map((term) => this.skillNames.get(term));
    const names = Array.from(new Set(found)).slice(0, 3);
    return names.length ? t("didYouMean", { choices: names.map((c) => t("quoted", { text: c })).join(t("or")) }) : "";
  }

  checkManager(manager, add) {
    const self = this.layout ? this.handle : this.input("handle").value.trim();
    if (!this.byHandle.has(manager) && !this.hidden.has(manager)) {
      add("manager", t("noPerson", { hint: didYouMean(manager, this.people.map((person) => person[1])) }));
    } else if (manager === self) {
      add("manager", t("ownManager"));
    } else if (self) {
      const chain = [self, manager];
      let index = this.byHandle.get(manager);
      while (index !== undefined && index >= 0 && chain.length < 1000) {
        const next = this.people[index][3];
        if (next < 0) break;
        const handle = this.people[next][0];
        chain.push(handle);
        if (handle === self) {
          add("manager", t("managerCycle", { cycle: chain.join(" → ") }));
          break;
        }
        index = next;
      }
    }
  }

  showProblems(problems, summary) {
    for (const error of this.profile.querySelectorAll("[data-error]")) {
      error.hidden = true;
      error.textContent = "";
      error.classList.remove("trombi-field__error--warning");
    }
    for (const input of this.profile.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    const list = this.profile.querySelector("[data-summary-list]");
    const items = [];
    // In the order of the form, as a person reads it.
    const placed = problems.map((problem) => [problem, this.profile.querySelector('[data-field="' + problem.field + '"]')]).filter(([, container]) => container);
    placed.sort((a, b) => (a[1] === b[1] ? 0 : a[1].compareDocumentPosition(b[1]) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    for (const [problem, container] of placed) {
      const error = container.querySelector("[data-error]");
      if (error.hidden) {
        error.textContent = problem.warning ? t("warning", { message: problem.message }) : problem.message;
        error.classList.toggle("trombi-field__error--warning", problem.warning);
        error.hidden = false;
      }
      const input = container.querySelector("input:not([type=checkbox]), select, textarea") || container.querySelector("input");
      if (!problem.warning && input) input.setAttribute("aria-invalid", "true");
      if (!problem.warning && input) {
        const label = container.querySelector("label, legend");
        const name = label ? label.textContent.replace(/\s*\(.*\)\s*$/, "").trim() : "";
        const link = element("a", { href: "#" + input.id }, name ? t("summaryItem", { field: name, message: problem.message }) : problem.message);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          input.focus();
        });
        const item = element("li");
        item.append(link);
        items.push(item);
      }
    }
    list.replaceChildren(...items);
    const box = this.profile.querySelector("[data-summary]");
    box.hidden = !items.length;
    if (summary && items.length) box.focus();
    return items.length;
  }

  // --- writing the file and opening the git host ------------------------------------------------

  submit() {
    this.checkedOnce = true;
    const data = this.collect();
    if (this.showProblems(this.check(data), true)) return;
    const handle = this.layout ? this.handle : this.input("handle").value.trim();
    const path = this.dir.peopleDir + "/" + handle + ".yaml";
    const text = this.layout ? writeEdit(this, this.layout, data) : writeNew(this, data, path);
    this.showResult(path, handle, text);
  }

  showResult(path, handle, text) {
    this.profile.hidden = true;
    this.result.hidden = false;
    this.say("");
    const lead = this.result.querySelector("[data-result-lead]");
    const fileBox = this.result.querySelector("[data-file]");
    fileBox.textContent = text;
    const diffBox = this.result.querySelector("[data-diff]");
    const diffTitle = this.result.querySelector("[data-diff-title]");
    diffBox.hidden = diffTitle.hidden = !this.layout;
    // A file with private lines is changed edit by edit: the whole file here lacks them.
    const partial = Boolean(this.layout && this.layout.private.length);
    fileBox.hidden = this.result.querySelector("[data-file-title]").hidden = partial;
    const hunkBox = this.result.querySelector("[data-hunks]");
    hunkBox.hidden = !partial;
    if (this.layout) {
      const newline = this.layout.newline || "\n";
      const changes = lineDiff(this.layout.lines, text.slice(0, -newline.length).split(newline));
      renderDiff(diffBox, changes);
      if (partial) renderHunks(hunkBox, hunks(changes, this.layout.private), newline);
      const added = changes.filter((c) => c[0] === "+").length;
      const removed = changes.filter((c) => c[0] === "-").length;
      lead.textContent = added || removed ? t("changed", { path, added, removed }) : t("unchanged", { path });
    } else {
      lead.textContent = t("created", { path });
    }
    this.renderActions(path, handle, text);
    this.result.focus();
  }

  renderActions(path, handle, text) {
    const box = this.result.querySelector("[data-result-actions]");
    const host = this.dir.host;
    const hostName = host.kind === "github" ? "GitHub" : host.kind === "gitlab" ? "GitLab" : t("yourHost");
    const parts = [];
    const steps = element("p");
    const copy = element("button", { type: "button", class: "md-button" }, t("copy"));
    const status = element("span", { class: "trombi-form__copied", role: "status" });
    copy.addEventListener("click", () => copyText(text, status, this.result.querySelector("[data-file]")));
    if (!this.layout && host.new) {
      const url = newFileUrl(host, path, text);
      if (url.length <= this.dir.urlLimit) {
        steps.append(element("a", { class: "md-button md-button--primary", href: url, target: "_blank", rel: "noopener", "data-open-host": true }, t("openNew", { host: hostName })), " ", copy, " ", status);
        parts.push(element("p", {}, t("newSteps", { host: hostName })), steps);
      } else {
        steps.append(copy, " ", element("a", { class: "md-button md-button--primary", href: newFileUrl(host, path, ""), target: "_blank", rel: "noopener", "data-open-host": true }, t("openNewEmpty", { host: hostName })), " ", status);
        parts.push(element("p", {}, t("urlTooLong", { limit: this.dir.urlLimit.toLocaleString(document.documentElement.lang || undefined) })), steps);
      }
    } else if (this.layout && this.layout.private.length) {
      parts.push(element("p", {}, t("privateSteps", { path })));
      if (host.edit) {
        steps.append(element("a", { class: "md-button md-button--primary", href: host.edit + path, target: "_blank", rel: "noopener", "data-open-host": true }, t("openEdit", { host: hostName })));
        parts.push(steps);
      }
    } else if (this.layout && host.edit) {
      const copyFirst = element("button", { type: "button", class: "md-button md-button--primary" }, t("copy"));
      copyFirst.addEventListener("click", () => copyText(text, status, this.result.querySelector("[data-file]")));
      steps.append(copyFirst, " ", element("a", { class: "md-button", href: host.edit + path, target: "_blank", rel: "noopener", "data-open-host": true }, t("openEdit", { host: hostName })), " ", status);
      parts.push(element("p", {}, t("editSteps", { path })), steps);
    } else if (host.edit) {
      steps.append(copy, " ", status);
      parts.push(element("p", {}, t("pasteSteps", { path })), steps);
    }
    if (!host.repo && !(this.layout && this.layout.private.length)) {
      const download = element("a", { class: "md-button md-button--primary", download: handle + ".yaml", href: URL.createObjectURL(new Blob([text], { type: "text/yaml" })) }, t("download"));
      steps.append(download, " ", copy, " ", status);
      parts.push(element("p", {}, t("downloadSteps", { path })), steps);
    }
    box.replaceChildren(...parts);
  }
}

const ORG_TYPES = ["company", "department", "team"];
const TEXT_LISTS = ["ask_me_about", "offers", "seeks", "interests"];
const NOISE = new Set(["anyOf", "oneOf", "allOf", "$ref", "properties", "items", "prefixItems", "additionalProperties", "unevaluatedProperties"]);
// The characters a one-line field or a long text refuses (generator/directory/values.py), to name the one found.
const HIDDEN = "\\u00ad\\u180e\\u200b\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb";
const ONE_LINE_REFUSED = new RegExp("[\\t\\n\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029" + HIDDEN + "]");
const LONG_TEXT_REFUSED = new RegExp("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029" + HIDDEN + "]");

function describe(character) {
  return "U+" + character.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
}

// The form's field for a place in the data: contact.email for /contact/email/value, skills.2 for /skills/2/name.
function fieldOf(path) {
  const [top, second] = path;
  if (top === "contact" || top === "networking") return second === undefined ? top : top + "." + second;
  if (top === "skills" && second !== undefined) return "skills." + second;
  return top || "name";
}

function valueAt(data, path) {
  let value = data;
  for (const part of path) value = value && typeof value === "object" ? value[part] : undefined;
  if (value && typeof value === "object" && "value" in value) return value.value;
  return value;
}

// The value of the schema's keyword that refused a value: keywordLocation, through the $refs it crossed.
function schemaAt(schema, location) {
  let node = schema;
  for (const part of location.replace(/^#\/?/, "").split("/").filter(Boolean)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    if (key === "$ref" && typeof node.$ref === "string") {
      node = node.$ref.replace(/^#\//, "").split("/").reduce((at, step) => at[step], schema);
    } else {
      node = node[key];
    }
    if (node === undefined) return "";
  }
  return node;
}

// What generator/directory/model.py's _check_photo refuses, said as the key of its message.
function photoProblem(value) {
  if (/^https:\/\//i.test(value)) return /^https:\/\/[^\s/$.?#][^\s]*$/i.test(value) ? null : "badPhoto";
  const parts = value.split("/");
  if (parts[0] !== "photos" || parts.length < 2 || parts.some((part) => part === "" || part === "." || part === "..") || value.includes("\\")) return "badPhoto";
  if (!/\.(jpg|jpeg|png|webp|gif|avif)$/i.test(value)) return "badPhotoType";
  return null;
}

// --- a new file: the skeleton of `trombi new`, filled --------------------------------------------

const SKELETON_KEY = /^(\s*)(#\s*)?(-\s*)?([a-z_]+):/;

function readSkeleton(lines) {
  const header = [];
  const top = new Map();
  let current = null;
  for (const [line, comment] of lines) {
    const match = SKELETON_KEY.exec(line);
    if (match && !match[1] && !match[2]) {
      current = { key: match[4], line, comment, children: [] };
      top.set(current.key, current);
    } else if (!current) {
      header.push([line, comment]);
    } else {
      current.children.push({ key: match && !match[3] ? match[4] : null, commented: Boolean(match && match[2]), line, comment });
    }
  }
  return { header, top };
}

function writeNew(form, data, path) {
  const dir = form.dir;
  const { header, top } = readSkeleton(dir.skeleton);
  const out = header.map(([line, comment]) => [line.split("{path}").join(path), comment]);
  for (const field of form.fields) {
    const value = data[field];
    const entry = top.get(field);
    if (!entry) {
      if (value !== undefined) for (const line of renderField(form, field, value)) out.push([line, ""]);
      continue;
    }
    const keyLine = (text) => entry.line.replace(/:.*$/, ":") + (text === "" ? "" : " " + text);
    if (field === "contact") {
      out.push([entry.line, entry.comment]);
      const children = new Map(entry.children.filter((c) => c.key).map((c) => [c.key, c]));
      for (const kind of form.contactKinds) {
        const child = children.get(kind);
        const given = value && value[kind];
        if (given) out.push(["  " + kind + ": " + contactValue(given), child && (!child.commented || (typeof given === "object" && given.visibility === "private")) ? child.comment : ""]);
        else if (child && child.commented) out.push([child.line, child.comment]);
        else if (child && kind !== "gitlab") out.push(["  " + kind + ":", child.comment]);  // GitLab's line only when given, as `trombi new`
      }
    } else if (field === "skills") {
      out.push([entry.line, entry.comment]);
      if (value && value.length) for (const skill of value) out.push(["  - " + skillItem(skill), ""]);
      else for (const child of entry.children) out.push([child.line, child.comment]);
    } else if (field === "networking") {
      out.push([entry.line, entry.comment]);
      const children = new Map(entry.children.filter((c) => c.key).map((c) => [c.key, c]));
      const given = value || {};
      for (const key of form.networkingKeys) {
        const child = children.get(key);
        if (key in given) out.push(["  " + key + ": " + scalar(given[key]), child ? child.comment : ""]);
        else if (child) out.push([child.line, child.comment]);
      }
    } else if (field === "bio") {
      if (value) for (const line of literal("bio", value, "")) out.push([line, ""]);  // the sample text is refused as it is: no bio, no lines
    } else if (Array.isArray(value) || /\[\{\w+\}\]|: \[\]/.test(entry.line)) {
      out.push([keyLine(flowList(value || [])), entry.comment]);
    } else {
      out.push([keyLine(value === undefined ? "" : scalar(value)), entry.comment]);
    }
  }
  return out.map(([line, comment]) => withComment(line.replace(/\s+$/, ""), comment, form.dir.column)).join("\n") + "\n";
}

// A field as it is written when it is new to a file.
function renderField(form, field, value, indent) {
  const pad = indent || "";
  if (field === "bio") return literal(field, value, pad);
  if (field === "skills") return [pad + "skills:"].concat(value.map((skill) => pad + "  - " + skillItem(skill)));
  if (field === "contact") return [pad + "contact:"].concat(form.contactKinds.filter((kind) => value[kind]).map((kind) => pad + "  " + kind + ": " + contactValue(value[kind])));
  if (field === "networking") return [pad + "networking:"].concat(form.networkingKeys.filter((key) => key in value).map((key) => pad + "  " + key + ": " + scalar(value[key])));
  if (Array.isArray(value)) return [pad + field + ": " + flowList(value)];
  return [pad + field + ": " + scalar(value)];
}

// --- an existing file: only what changed is written anew ----------------------------------------

function normal(field, value) {
  if (value === undefined || value === null) return undefined;
  if (field === "skills") return value.map((item) => typeof item === "string" ? { name: item, level: "intermediate" } : { name: item.name, level: item.level || "intermediate" });
  if (field === "contact") {
    const entries = {};
    for (const [kind, entry] of Object.entries(value)) entries[kind] = normal("contact." + kind, entry);
    return entries;
  }
  if (field.startsWith("contact.")) return typeof value === "string" ? { value, visibility: "public" } : { value: value.value, visibility: value.visibility || "public" };
  if (field === "bio") return String(value).replace(/\s+$/, "");
  return value;
}

function same(field, a, b) {
  return stable(normal(field, a)) === stable(normal(field, b));
}

function stable(value) {
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "[" + value.map(stable).join(",") + "]";
  if (value && typeof value === "object") return "{" + Object.keys(value).sort().map((key) => JSON.stringify(key) + ":" + stable(value[key])).join(",") + "}";
  return JSON.stringify(value);
}

// Comment and blank lines at the end of a block stay where they are when the block changes.
function splitTrailing(lines, literalBlock) {
  const loose = literalBlock ? /^(\s*|#.*)$/ : /^\s*(#.*)?$/;
  let end = lines.length;
  while (end > 1 && loose.test(lines[end - 1])) end--;
  return [lines.slice(0, end), lines.slice(end)];
}

function writeEdit(form, layout, data) {
  const lines = layout.lines;
  const blocks = layout.blocks.map(([key, first, end, block, children]) => ({ key, first, end, block, children }));
  const original = layout.values;
  const out = lines.slice(0, blocks.length ? blocks[0].first : lines.length);
  const inFile = new Set(blocks.map((b) => b.key));
  // Fields new to the file go after the closest field before them (in the schema's order) that the file has.
  const after = new Map();
  for (const field of form.fields) {
    if (inFile.has(field) || data[field] === undefined) continue;
    const position = form.fields.indexOf(field);
    const before = form.fields.slice(0, position).reverse().find((other) => inFile.has(other));
    const key = before || "^";
    if (!after.has(key)) after.set(key, []);
    after.get(key).push(field);
  }
  const emitNew = (key) => {
    for (const field of after.get(key) || []) out.push(...renderField(form, field, data[field]));
  };
  emitNew("^");
  for (const block of blocks) {
    const own = lines.slice(block.first, block.end);
    const value = data[block.key];
    if (value !== undefined && same(block.key, original[block.key], value)) {
      out.push(...own);
    } else if (value === undefined) {
      out.push(...splitTrailing(own, block.key === "bio")[1]);
    } else if (block.block && (Array.isArray(value) ? value.length : Object.keys(value).length)) {
      out.push(...editChildren(form, block, lines, original[block.key], value));
    } else {
      const [content, trailing] = splitTrailing(own, block.key === "bio");
      const fresh = renderField(form, block.key, value);
      const single = content.length === 1 && fresh.length === 1;
      out.push(...(single ? [fresh[0] + trailingComment(content[0])] : fresh), ...trailing);
    }
    emitNew(block.key);
  }
  const newline = layout.newline || "\n";
  return out.join(newline) + newline;
}

// A list or mapping written a line an entry: unchanged entries keep their lines, others are written anew.
function editChildren(form, block, lines, was, value) {
  const children = block.children;
  const head = lines.slice(block.first, children.length ? children[0][1] : block.end);
  const indentOf = (line) => /^\s*/.exec(line)[0];
  const indent = children.length ? indentOf(lines[children[0][1]]) : "  ";
  const out = [...head];
  if (Array.isArray(value)) {
    const render = (item) => indent + "- " + (block.key === "skills" ? skillItem(item) : scalar(item));
    const before = was.map((item) => stable(normal(block.key, [item])));
    const now = value.map((item) => stable(normal(block.key, [item])));
    let held = [];
    const flush = () => { out.push(...held); held = []; };
    for (const [kind, index] of sequenceDiff(before, now)) {
      if (kind === "=") {
        flush();
        const [content, trailing] = splitTrailing(lines.slice(children[index[0]][1], children[index[0]][2]), false);
        out.push(...content);
        held = trailing;
      } else if (kind === "-") {
        flush();
        held = splitTrailing(lines.slice(children[index][1], children[index][2]), false)[1];
      } else {
        out.push(render(value[index]));
      }
    }
    flush();
    return out;
  }
  const keys = block.key === "contact" ? form.contactKinds : form.networkingKeys;
  const present = new Map(children.map(([name, first, end]) => [name, lines.slice(first, end)]));
  const render = (key) => indent + key + ": " + (block.key === "contact" ? contactValue(value[key]) : scalar(value[key]));
  const newAfter = new Map();
  for (const key of keys) {
    if (present.has(key) || !(key in value)) continue;
    const before = keys.slice(0, keys.indexOf(key)).reverse().find((other) => present.has(other));
    const anchor = before || "^";
    if (!newAfter.has(anchor)) newAfter.set(anchor, []);
    newAfter.get(anchor).push(key);
  }
  const emit = (anchor) => { for (const key of newAfter.get(anchor) || []) out.push(render(key)); };
  emit("^");
  for (const [name] of children) {
    const own = present.get(name);
    const [content, trailing] = splitTrailing(own, false);
    if (!(name in value)) {
      out.push(...trailing);
    } else if (same(block.key + "." + name, was[name], value[name]) || (block.key === "networking" && stable(was[name]) === stable(value[name]))) {
      out.push(...own);
    } else {
      out.push((content.length === 1 ? render(name) + trailingComment(content[0]) : render(name)), ...trailing);
    }
    emit(name);
  }
  return out;
}

// The longest common subsequence of two lists of strings, as edits: ["=", [i, j]], ["-", i], ["+", j].
function sequenceDiff(a, b) {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table = new Uint32Array(rows * columns);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * columns + j] = a[i] === b[j] ? table[(i + 1) * columns + j + 1] + 1 : Math.max(table[(i + 1) * columns + j], table[i * columns + j + 1]);
    }
  }
  const edits = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      edits.push(["=", [i, j]]);
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || table[i * columns + j + 1] >= table[(i + 1) * columns + j])) {
      edits.push(["+", j]);
      j++;
    } else {
      edits.push(["-", i]);
      i++;
    }
  }
  return edits;
}

function lineDiff(before, after) {
  return sequenceDiff(before, after).map(([kind, index]) => (kind === "=" ? [" ", before[index[0]]] : kind === "-" ? ["-", before[index]] : ["+", after[index]]));
}

// A published profile (a shard's entry) as the form edits it: its lines, where each field and entry
// sits in them, its values, and where private lines were left out ([line of the text they came
// before, count]). The loader of `trombi validate` reads no implicit types but true and false: here too.
function readProfile(entry) {
  const [text, hidden, dropped] = typeof entry === "string" ? [entry, [], []] : entry;
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(newline);
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  const counter = new LineCounter();
  const doc = parseDocument(text.split("\r\n").join("\n"), { lineCounter: counter, schema: "failsafe", uniqueKeys: true });
  if (doc.errors.length || !isMap(doc.contents)) throw new Error("unreadable profile");
  const line = (node) => counter.linePos(node.range[0]).line - 1;
  const pairs = doc.contents.items;
  const blocks = [];
  const values = {};
  pairs.forEach((pair, index) => {
    const key = String(pair.key.value);
    const first = line(pair.key);
    const end = index + 1 < pairs.length ? line(pairs[index + 1].key) : lines.length;
    const value = pair.value;
    const below = Boolean((isMap(value) || isSeq(value)) && !value.flow && value.items.length && line(value) > first);
    const children = [];
    if (below) {
      const starts = value.items.map((item) => line(isMap(value) ? item.key : item));
      value.items.forEach((item, position) => {
        children.push([isMap(value) ? String(item.key.value) : position, starts[position], position + 1 < starts.length ? starts[position + 1] : end]);
      });
    }
    blocks.push([key, first, end, below, children]);
    values[key] = plain(value);
  });
  // Private lines after a field's key and up to the next field's are that field's (its last entry's).
  const privateIn = blocks.filter(([, first, end]) => hidden.some(([at]) => at > first && at <= end)).map(([key]) => key);
  return { lines, blocks, values, dropped, private: hidden, privateIn, ...(newline !== "\n" ? { newline } : {}) };
}

function plain(node) {
  if (node === null || node === undefined) return null;
  if (isMap(node)) return Object.fromEntries(node.items.map((pair) => [String(pair.key.value), plain(pair.value)]));
  if (isSeq(node)) return node.items.map(plain);
  if (isScalar(node)) {
    if (node.type === "PLAIN" && (node.value === "true" || node.value === "false")) return node.value === "true";
    if (node.type === "PLAIN" && node.value === "") return null;
    return String(node.value);
  }
  return null;
}

// Which shard holds a handle: FNV-1a (32 bits) of its bytes modulo the number of shards, as generator/site/form.py.
function shardOf(handle, count) {
  let number = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(handle)) number = Math.imul(number ^ byte, 0x01000193) >>> 0;
  return number % count;
}

// The changes as edits of the real file: runs of changed lines, never across private lines, each with
// its line numbers in the file as it is once the edits before it are made. Lines added where private
// lines were left out go after them: a private line ends its own entry, and a new field follows it.
function hunks(changes, hidden) {
  const before = new Map(hidden.map(([at, count]) => [at, count]));
  const out = [];
  let old = 0;
  let current = null;
  let privateSoFar = 0;
  let shift = 0;
  const close = () => {
    if (current) {
      shift += current.added.length - current.removed;
      out.push(current);
    }
    current = null;
  };
  let enteredGap = -1;
  for (const [kind, text] of changes) {
    if (before.has(old) && enteredGap !== old) {
      close();
      privateSoFar += before.get(old);
      enteredGap = old;
    }
    if (kind === " ") {
      close();
      old++;
      continue;
    }
    if (!current) current = { at: old + privateSoFar + shift, removed: 0, added: [] };
    if (kind === "-") {
      current.removed++;
      old++;
    } else {
      current.added.push(text);
    }
  }
  close();
  return out;
}

function renderHunks(box, edits, newline) {
  const list = box.querySelector("ol");
  list.replaceChildren(...edits.map((edit, index) => {
    const first = edit.at + 1;
    const last = edit.at + edit.removed;
    let said;
    if (!edit.removed) said = edit.at === 0 ? t("hunkInsertTop") : t("hunkInsert", { line: edit.at });
    else if (!edit.added.length) said = edit.removed === 1 ? t("hunkDeleteOne", { line: first }) : t("hunkDelete", { first, last });
    else said = edit.removed === 1 ? t("hunkReplaceOne", { line: first }) : t("hunkReplace", { first, last });
    const item = element("li", { class: "trombi-form__hunk", "data-hunk": true });
    item.append(element("p", {}, said));
    if (edit.added.length) {
      const id = "form-hunk-" + index;
      const lines = edit.added.join("\n");
      const code = element("pre", { class: "trombi-form__file", id, role: "region", "aria-label": said, tabindex: "0" }, lines);
      const status = element("span", { class: "trombi-form__copied", role: "status" });
      const copy = element("button", { type: "button", class: "md-button" }, t("copyLines"));
      copy.addEventListener("click", () => copyText(edit.added.join(newline) + newline, status, code));
      const actions = element("p");
      actions.append(copy, " ", status);
      item.append(code, actions);
    }
    return item;
  }));
}

// The changed lines with two lines of context around them, "…" between the parts left out.
function renderDiff(box, changes) {
  const shown = new Set();
  changes.forEach((change, index) => {
    if (change[0] !== " ") for (let k = Math.max(0, index - 2); k <= Math.min(changes.length - 1, index + 2); k++) shown.add(k);
  });
  const nodes = [];
  let gap = false;
  changes.forEach(([kind, line], index) => {
    if (!shown.has(index)) {
      gap = true;
      return;
    }
    if (gap && nodes.length) nodes.push(element("span", { class: "trombi-diff__gap" }, "…\n"));
    gap = false;
    const mark = kind === "+" ? "+ " : kind === "-" ? "- " : "  ";
    const node = element(kind === "+" ? "ins" : kind === "-" ? "del" : "span", { class: kind === "+" ? "trombi-diff__add" : kind === "-" ? "trombi-diff__del" : "trombi-diff__same" }, mark + line + "\n");
    nodes.push(node);
  });
  if (!nodes.length) nodes.push(element("span", {}, t("noChange") + "\n"));
  box.replaceChildren(...nodes);
}

function newFileUrl(host, path, text) {
  const [name, value] = host.kind === "gitlab" ? ["file_name", "content"] : ["filename", "value"];
  return host.new + "?" + name + "=" + encodeURIComponent(path) + (text ? "&" + value + "=" + encodeURIComponent(text) : "");
}

function copyText(text, status, fallback) {
  const done = () => { status.textContent = t("copied"); };
  const byHand = () => {
    const range = document.createRange();
    range.selectNodeContents(fallback);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    status.textContent = t("copyByHand");
  };
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, byHand);
  else byHand();
}

const root = document.querySelector("[data-trombi-form]");
if (root) start(root);
