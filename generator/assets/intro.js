/* "Who can introduce you?" on a person page: the shortest chain of people who know each other,
   found in the browser in the graph the build writes (assets/intro-graph.json, fetched on the
   first search only). The same rules as `trombi intro`: same team, manager and direct report,
   a shared small group. Everything is written with textContent: no name is read as HTML.

   A page carries an empty block naming its person (data-trombi-intro); this script writes the
   section's heading, form and messages, in the site's language (written in below by the build,
   generator/network/intro.py): the form only works with the script, and its words were 0.9 kB in every
   profile. */
(function () {
  "use strict";

  var MESSAGES = {/* messages: written by the build, generator/network/intro.py */};

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  var graphPromise = null;

  // The site's root: the header's search form goes to the search page, at the root (overrides/partials/trombi-search.html).
  function siteRoot() {
    var search = document.querySelector("[data-trombi-header-search]");
    if (!search) return new URL("./", window.location.href).href;
    return new URL("..", new URL(search.getAttribute("action"), window.location.href)).href;
  }

  function loadGraph(url) {
    if (!graphPromise) {
      graphPromise = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(prepare);
    }
    return graphPromise;
  }

  function prepare(graph) {
    var byHandle = {}, byName = {}, reports = [], circleMembers = graph.circles.map(function () { return []; });
    graph.people.forEach(function (person, index) {
      byHandle[person[0]] = index;
      byName[fold(person[1])] = index;
      reports.push([]);
    });
    graph.people.forEach(function (person, index) {
      if (person[3] >= 0) reports[person[3]].push(index);
      if (person[2] >= 0) circleMembers[person[2]].push(index);
      graph.member_of[index].forEach(function (circle) { circleMembers[circle].push(index); });
    });
    graph.byHandle = byHandle;
    graph.byName = byName;
    graph.reports = reports;
    graph.circleMembers = circleMembers;
    return graph;
  }

  // Acquaintances in the order `trombi intro` reads them: manager, reports, team, small groups.
  function neighbours(graph, index, visit) {
    var person = graph.people[index];
    if (person[3] >= 0) visit(person[3], "manager", -1);
    graph.reports[index].forEach(function (other) { visit(other, "report", -1); });
    if (person[2] >= 0) {
      graph.circleMembers[person[2]].forEach(function (other) {
        if (other !== index && graph.people[other][2] === person[2]) visit(other, "team", -1);
      });
    }
    graph.member_of[index].forEach(function (circle) {
      graph.circleMembers[circle].forEach(function (other) {
        if (other !== index) visit(other, "group", circle);
      });
    });
  }

  function shortestPath(graph, start, goal) {
    var from = {};
    from[start] = null;
    var frontier = [start];
    while (frontier.length) {
      var next = [];
      for (var i = 0; i < frontier.length; i++) {
        var current = frontier[i];
        var found = false;
        neighbours(graph, current, function (other, relation, circle) {
          if (found || Object.prototype.hasOwnProperty.call(from, other)) return;
          from[other] = { source: current, relation: relation, circle: circle };
          if (other === goal) found = true;
          next.push(other);
        });
        if (found) {
          var hops = [];
          for (var at = goal; from[at]; at = from[at].source) hops.unshift({ target: at, hop: from[at] });
          return hops;
        }
      }
      frontier = next;
    }
    return null;
  }

  function find(graph, text) {
    var key = text.trim().replace(/^@/, "");
    if (Object.prototype.hasOwnProperty.call(graph.byHandle, key.toLowerCase())) return graph.byHandle[key.toLowerCase()];
    var folded = fold(key);
    return Object.prototype.hasOwnProperty.call(graph.byName, folded) ? graph.byName[folded] : -1;
  }

  function personLink(graph, index, root) {
    var link = document.createElement("a");
    link.href = root + "people/" + encodeURIComponent(graph.people[index][0]) + "/";
    link.textContent = graph.people[index][1];
    return link;
  }

  function show(box, graph, start, hops, root) {
    box.textContent = "";
    var line = document.createElement("p");
    line.className = "trombi-intro__path";
    line.appendChild(personLink(graph, start, root));
    hops.forEach(function (step) {
      var label = document.createElement("span");
      label.className = "trombi-intro__via";
      label.textContent = step.hop.relation === "group" ? graph.circles[step.hop.circle][1] : graph.labels[step.hop.relation];
      line.appendChild(document.createTextNode(" → "));
      line.appendChild(label);
      line.appendChild(document.createTextNode(" → "));
      line.appendChild(personLink(graph, step.target, root));
    });
    box.appendChild(line);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function setUp(section) {
    if (section.firstChild) return;  // already written (the theme's instant navigation may call again)
    var target = section.getAttribute("data-trombi-intro");
    var form = element("form", "trombi-intro");
    var label = element("label", "", MESSAGES.label + " ");
    var input = element("input");
    input.type = "text";
    input.name = "from";
    input.autocomplete = "off";
    input.required = true;
    label.appendChild(input);
    var button = element("button", "md-button", MESSAGES.button);
    button.type = "submit";
    form.appendChild(label);
    form.appendChild(document.createTextNode(" "));
    form.appendChild(button);
    var box = element("div", "trombi-intro__result");
    box.setAttribute("aria-live", "polite");
    box.setAttribute("data-trombi-intro-result", "");
    section.appendChild(element("h2", "", MESSAGES.heading));
    section.appendChild(form);
    section.appendChild(box);
    section.appendChild(element("p", "trombi-muted", MESSAGES.explain));
    var root = siteRoot();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      box.textContent = MESSAGES.searching;
      loadGraph(new URL("assets/intro-graph.json", root).href).then(function (graph) {
        var start = find(graph, input.value);
        var goal = graph.byHandle[target];
        if (start < 0) {
          box.textContent = MESSAGES.unknown;
        } else if (goal === undefined) {
          box.textContent = MESSAGES.noPath;
        } else if (start === goal) {
          box.textContent = MESSAGES.same;
        } else {
          var hops = shortestPath(graph, start, goal);
          if (hops) show(box, graph, start, hops, root); else box.textContent = MESSAGES.noPath;
        }
      }).catch(function () {
        box.textContent = MESSAGES.unavailable;
      });
    });
  }

  // "In my network: support circle" under the name, when the reader keeps this person in their own
  // network (the page My network, assets/my-network.js, keeps it in this browser under this key).
  function markNetwork(section) {
    var kept = null;
    try { kept = JSON.parse(window.localStorage.getItem("trombi-my-network") || "null"); } catch (error) { return; }
    if (!kept || !Array.isArray(kept.relationships)) return;
    var handle = section.getAttribute("data-trombi-intro");
    var found = kept.relationships.filter(function (item) { return item && item.handle === handle; })[0];
    var heading = document.querySelector("article h1");
    if (!found || !Object.prototype.hasOwnProperty.call(MESSAGES.circles, found.circle) || !heading) return;
    if (heading.parentNode.querySelector(".trombi-network")) return;
    var root = siteRoot();
    var line = element("p", "trombi-network");
    var circle = MESSAGES.circles[found.circle];
    var link = element("a", "", MESSAGES.network.replace("%(circle)s", circle.charAt(0).toLowerCase() + circle.slice(1)));
    link.href = new URL(MESSAGES.networkPage, root).href;
    line.appendChild(link);
    heading.parentNode.insertBefore(line, heading.nextSibling);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-trombi-intro]"), function (section) {
      setUp(section);
      markNetwork(section);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
