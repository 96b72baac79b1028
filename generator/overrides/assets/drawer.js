{#-
  Rendered by MkDocs as a static template (generator/engine/theme.py), for the menu's name in the
  site's language, rather than each page carrying it.
-#}
{%- import "partials/language.html" as lang with context -%}
/* The drawer's menu on a page that hides its navigation, when the site's navigation is the row of
   tabs (overrides/main.html): Material's partials/nav.html would write the tabs' links a second
   time in every page, 1.5 kB each, for the drawer of small screens. This script writes that menu
   from the page's own header and tabs, in the hidden sidebar that holds it (Material's markup for a
   page that hides its navigation), where it is loaded, before the theme's bundle starts. */
(function (script) {
  "use strict";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  var nav = element("nav", "md-nav md-nav--primary md-nav--lifted");
  nav.setAttribute("aria-label", {{ lang.t("nav") | tojson }});
  nav.setAttribute("data-md-level", "0");

  var title = element("label", "md-nav__title");
  title.htmlFor = "__drawer";
  var logo = document.querySelector(".md-header .md-logo");
  if (logo) {
    var copy = logo.cloneNode(true);
    copy.className = "md-nav__button md-logo";
    title.appendChild(copy);
    title.appendChild(document.createTextNode(" " + logo.getAttribute("aria-label") + " "));
  }
  nav.appendChild(title);

  var source = document.querySelector(".md-header__source");
  if (source) {
    var box = element("div", "md-nav__source");
    Array.prototype.forEach.call(source.childNodes, function (child) { box.appendChild(child.cloneNode(true)); });
    nav.appendChild(box);
  }

  var list = element("ul", "md-nav__list");
  list.setAttribute("data-md-scrollfix", "");
  Array.prototype.forEach.call(document.querySelectorAll(".md-tabs__list > li"), function (tab) {
    var link = tab.querySelector("a");
    if (!link) return;
    var active = tab.classList.contains("md-tabs__item--active");
    var item = element("li", "md-nav__item" + (active ? " md-nav__item--active" : ""));
    var copy = element("a", "md-nav__link" + (active ? " md-nav__link--active" : ""));
    copy.setAttribute("href", link.getAttribute("href"));
    copy.appendChild(element("span", "md-ellipsis", link.textContent.trim()));
    item.appendChild(copy);
    list.appendChild(item);
  });
  nav.appendChild(list);

  var sidebar = element("div", "md-sidebar md-sidebar--primary");
  sidebar.setAttribute("data-md-component", "sidebar");
  sidebar.setAttribute("data-md-type", "navigation");
  sidebar.hidden = true;
  var scrollwrap = sidebar.appendChild(element("div", "md-sidebar__scrollwrap"));
  scrollwrap.appendChild(element("div", "md-sidebar__inner")).appendChild(nav);
  script.parentNode.replaceChild(sidebar, script);
})(document.currentScript);
