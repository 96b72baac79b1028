/* The local time of a person, beside their time zone: "(Europe/Paris, 14:05 heure locale)".

   The page names the zone and carries the words around the time (data-trombi-time and
   data-trombi-format, in the site's language); the time itself can only be the reader's now, so
   it is written here, by the browser's Intl.DateTimeFormat in the page's language, and kept up to
   date. Without the script the page shows the zone alone. Everything is written with textContent. */
(function () {
  "use strict";

  function sameDay(a, b) {
    return a.year === b.year && a.month === b.month && a.day === b.day;
  }

  function dayParts(format, now) {
    var parts = {};
    format.formatToParts(now).forEach(function (part) { parts[part.type] = part.value; });
    return parts;
  }

  function write(element, now, language) {
    var zone = element.getAttribute("data-trombi-time");
    var words = element.getAttribute("data-trombi-format") || "%(time)s";
    try {
      var time = new Intl.DateTimeFormat(language, { timeZone: zone, timeStyle: "short" }).format(now);
      var day = { year: "numeric", month: "numeric", day: "numeric" };
      var there = dayParts(new Intl.DateTimeFormat("en", Object.assign({ timeZone: zone }, day)), now);
      var here = dayParts(new Intl.DateTimeFormat("en", day), now);
      if (!sameDay(there, here)) {  // already tomorrow there, or still yesterday: the day too
        time = new Intl.DateTimeFormat(language, { timeZone: zone, weekday: "long" }).format(now) + " " + time;
      }
      element.textContent = words.replace("%(time)s", time);
    } catch (error) {
      element.textContent = "";  // a zone this browser does not know: the zone's name alone
    }
  }

  function update() {
    var language = document.documentElement.lang || undefined;
    var now = new Date();
    document.querySelectorAll("[data-trombi-time]").forEach(function (element) { write(element, now, language); });
  }

  function start() {
    if (!document.querySelector("[data-trombi-time]")) return;
    update();
    window.setInterval(update, 20000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
