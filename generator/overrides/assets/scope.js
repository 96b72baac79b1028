{#-
  The theme's first script and its configuration, once for the whole site instead of in every page
  (overrides/partials/javascripts/base.html and the empty "config" block of overrides/main.html):
  with 100,000 people, 0.8 kB a page is 0.1 GB. Rendered by MkDocs as a static template
  (generator/engine/publish.py); loaded in each page's <head>, before the theme's bundle reads either.

  - Material's partials/javascripts/base.html (mkdocs-material 9.x; keep it in step when upgrading
    the theme), whose scope is resolved against this file, in the site's assets/ folder, rather
    than against the page: the same site root from every page.
  - The configuration Material's bundle reads from the element #__config, added to the <head>:
    without what only its own search used (the site searches with Pagefind). Its base is the
    site's root, absolute, which the bundle resolves as it resolves a page-relative one.
-#}
{%- import "partials/language.html" as lang with context -%}
{%- set features = config.theme.features or [] -%}
{%- set app = {
  "features": features | reject("in", ["search.suggest", "search.highlight", "search.share"]) | list,
  "translations": {
    "clipboard.copy": lang.t("clipboard.copy"),
    "clipboard.copied": lang.t("clipboard.copied"),
    "select.version": lang.t("select.version")
  }
} -%}
{%- if config.extra.annotate -%}{%- set _ = app.update({"annotate": config.extra.annotate}) -%}{%- endif -%}
{%- if config.extra.tags -%}{%- set _ = app.update({"tags": config.extra.tags}) -%}{%- endif -%}
{%- if config.extra.version -%}
  {%- set mike = config.plugins.mike -%}
  {%- if not mike or mike.config.version_selector -%}
    {%- set _ = app.update({"version": config.extra.version}) -%}
  {%- endif -%}
{%- endif -%}
__md_scope=new URL({{ config.extra.scope | d(base_url) | tojson }},document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
(function (script) {
  var config = {{ app | tojson }};
  config.base = new URL("..", script.src).href;
  var element = document.createElement("script");
  element.id = "__config";
  element.type = "application/json";
  element.textContent = JSON.stringify(config);
  document.head.appendChild(element);
})(document.currentScript);
