{#-
  The palette toggle and the script that applies the reader's palette, once for the whole site
  instead of in every page (overrides/partials/header.html): rendered by MkDocs as a static
  template (generator/engine/publish.py), loaded where the toggle goes in the header. The toggle only
  ever worked with JavaScript: the script writes it in place, then applies the stored palette.
  The partial's line breaks are kept: between the toggle's flex items they show nothing.

  - The toggle is overrides/partials/palette.html (its icons are drawn by the stylesheet).
  - The palette is applied by Material's partials/javascripts/palette.html, unchanged.
-#}
{%- set toggle -%}{% include "partials/palette.html" %}{%- endset -%}
{%- set apply -%}{% include "partials/javascripts/palette.html" %}{%- endset -%}
document.currentScript.insertAdjacentHTML("beforebegin", {{ toggle | trim | tojson }});
{{ apply | trim | replace("<script>", "") | replace("</script>", "") }}
