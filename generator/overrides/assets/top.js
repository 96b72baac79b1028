{#-
  Material's back-to-top button, once for the whole site instead of in every page
  (overrides/partials/top.html): rendered by MkDocs as a static template (generator/engine/publish.py)
  and loaded where the button goes. The button only ever worked with JavaScript (hidden until
  the theme's script shows it), so the script writes it in place, before the theme's script
  starts. Its icon is drawn by the stylesheet (icon_css in generator/engine/publish.py).
-#}
{%- import "partials/language.html" as lang with context -%}
{%- set button -%}
<button type="button" class="md-top md-icon" data-md-component="top" hidden><i class="trombi-icon trombi-icon--top"></i> {{ lang.t("top") }}</button>
{%- endset -%}
document.currentScript.insertAdjacentHTML("beforebegin", {{ button | tojson }});
