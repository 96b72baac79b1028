/* What a page shows as of a day (this week's meetings, a group's next meeting, this month's lunches)
   was true the day the site was built: the site is rebuilt nightly, but a page kept open, a
   missed night or a cached copy would otherwise show last week as this week. The build writes
   the entries of the coming days too, each with the days it holds for:

     data-trombi-from="2026-12-07"   shown from this day on (optional)
     data-trombi-until="2026-12-13"  shown up to this day included (optional)

   and hides (the hidden attribute) those that do not hold on its own day, so that without this
   script the page is exactly what it was when built. Here each entry is shown or hidden for the
   reader's day; a box marked data-trombi-when (a heading and its list) is hidden when none of
   its entries holds, and shown again when one does, its data-trombi-count saying how many do; an
   element marked data-trombi-otherwise ("every profile was updated recently") is shown when no
   entry of the page holds. */
(function () {
  "use strict";

  var ENTRIES = "[data-trombi-from], [data-trombi-until]";

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // The reader's local day, as the ISO dates the build writes (YYYY-MM-DD compare as text).
  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function holds(element, day) {
    var from = element.getAttribute("data-trombi-from");
    var until = element.getAttribute("data-trombi-until");
    return !(from && day < from) && !(until && day > until);
  }

  function update() {
    var day = today();
    Array.prototype.forEach.call(document.querySelectorAll(ENTRIES), function (element) {
      element.hidden = !holds(element, day);
    });
    var language = document.documentElement.lang || undefined;
    Array.prototype.forEach.call(document.querySelectorAll("[data-trombi-when]"), function (box) {
      var count = shownIn(box);
      box.hidden = count === 0;
      Array.prototype.forEach.call(box.querySelectorAll("[data-trombi-count]"), function (counter) {
        counter.textContent = count.toLocaleString(language);
      });
    });
    var any = shownIn(document) > 0;
    Array.prototype.forEach.call(document.querySelectorAll("[data-trombi-otherwise]"), function (element) {
      element.hidden = any;
    });
  }

  function shownIn(scope) {
    return Array.prototype.filter.call(scope.querySelectorAll(ENTRIES), function (entry) {
      return !entry.hidden;
    }).length;
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(update);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  // A page left open overnight turns to the new day when it is looked at again.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") update();
  });
})();
