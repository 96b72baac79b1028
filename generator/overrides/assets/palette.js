{#-
  The palette toggle and the script that applies the reader's palette, once for the whole site
  instead of in every page (overrides/partials/header.html): rendered by MkDocs as a static
  template (generator/engine/publish.py), loaded where the toggle goes in the header. The toggle only
  ever worked with JavaScript: the script writes it in place, then applies the stored palette.
  The partial's line breaks are kept: between the toggle's flex items they show nothing.

  - The toggle is overrides/partials/palette.html (its icons are drawn by the stylesheet).
  - The palette is applied by Material's partials/javascripts/palette.html, unchanged.
  - A switch selects the next option's input as Material's own labels did; Material's script,
    hearing the input change, applies the palette, stores it and shows the next switch, which
    takes the keyboard's focus. Enter is the switch's own (Material's form would turn it again).
-#}
{%- set toggle -%}{% include "partials/palette.html" %}{%- endset -%}
{%- set apply -%}{% include "partials/javascripts/palette.html" %}{%- endset -%}
document.currentScript.insertAdjacentHTML("beforebegin", {{ toggle | trim | tojson }});
document.currentScript.previousElementSibling.querySelectorAll(".trombi-palette").forEach(function (toggle) {
  toggle.addEventListener("keydown", function (event) { if (event.key === "Enter") event.stopPropagation() });
  toggle.addEventListener("click", function () {
    var form = toggle.form, next = form.querySelector("#__palette_" + toggle.getAttribute("data-trombi-next"));
    var focused = document.activeElement === toggle;
    next.click();
    var shown = next.nextElementSibling;
    if (focused && shown && shown !== toggle && !shown.hidden) shown.focus();
  });
});
{{ apply | trim | replace("<script>", "") | replace("</script>", "") }}
