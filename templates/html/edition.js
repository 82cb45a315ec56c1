/* The bilingual edition's reading aids. No network, no eval, no innerHTML from data:
   every popup is built with textContent. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");

  var VIEWS = ["side-by-side", "interleaved", "zh", "en"];
  var SCRIPTS = ["traditional", "simplified"];

  function load(key) {
    try { return window.localStorage.getItem("bitext." + key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem("bitext." + key, value); } catch (e) { /* private mode or file:// limits */ }
  }

  function press(selector, attribute, value) {
    var buttons = document.querySelectorAll(selector);
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute(attribute) === value));
    }
  }

  function setView(view, remember) {
    if (VIEWS.indexOf(view) < 0) { return; }
    root.setAttribute("data-view", view);
    press("[data-set-view]", "data-set-view", view);
    if (remember) { save("view", view); }
  }

  function setScript(script, remember) {
    if (!root.hasAttribute("data-script-switch") || SCRIPTS.indexOf(script) < 0) { return; }
    root.setAttribute("data-script", script);
    press("[data-set-script]", "data-set-script", script);
    if (remember) { save("script", script); }
  }

  function setWordHelp(on, remember) {
    root.classList.toggle("wordhelp", on);
    var button = document.querySelector("[data-toggle-wordhelp]");
    if (button) { button.setAttribute("aria-pressed", String(on)); }
    if (!on) { hidePopup(); }
    if (remember) { save("wordhelp", on ? "on" : "off"); }
  }

  function setProvenance(on, remember) {
    root.classList.toggle("provenance", on);
    var button = document.querySelector("[data-toggle-provenance]");
    if (button) { button.setAttribute("aria-pressed", String(on)); }
    if (remember) { save("provenance", on ? "on" : "off"); }
  }

  setView(load("view") || root.getAttribute("data-view"), false);
  setScript(load("script") || root.getAttribute("data-script"), false);
  setWordHelp(load("wordhelp") !== "off", false);
  setProvenance(load("provenance") !== "off", false);

  /* --- sentence linking ---------------------------------------------------------- */

  var bySegment = {};
  var segments = document.querySelectorAll(".seg[data-seg]");
  for (var i = 0; i < segments.length; i++) {
    var key = segments[i].getAttribute("data-seg");
    (bySegment[key] = bySegment[key] || []).push(segments[i]);
  }
  var linked = [];

  function link(segment) {
    unlink();
    var group = bySegment[segment.getAttribute("data-seg")] || [];
    for (var j = 0; j < group.length; j++) { group[j].classList.add("linked"); }
    linked = group;
  }
  function unlink() {
    for (var j = 0; j < linked.length; j++) { linked[j].classList.remove("linked"); }
    linked = [];
  }
  function segmentOf(node) {
    return node && node.closest ? node.closest(".seg[data-seg]") : null;
  }

  document.addEventListener("mouseover", function (event) {
    var segment = segmentOf(event.target);
    if (segment) { link(segment); }
    var word = event.target.closest ? event.target.closest(".term, .w") : null;
    if (word) { hoverHelp(word); } else { cancelHover(); }
  });
  document.addEventListener("mouseout", function (event) {
    var segment = segmentOf(event.target);
    if (segment && !segment.contains(event.relatedTarget)) { unlink(); }
  });
  document.addEventListener("focusin", function (event) {
    var segment = segmentOf(event.target);
    if (segment) { link(segment); }
  });
  document.addEventListener("focusout", function (event) {
    if (segmentOf(event.target)) { unlink(); }
  });

  function showTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var old = document.querySelectorAll(".targeted");
    for (var j = 0; j < old.length; j++) { old[j].classList.remove("targeted"); }
    var group = bySegment[id];
    if (!group) {
      /* A sentence joined to another's English (one English sentence for two Chinese) pairs under its carrier's id. */
      var anchor = document.getElementById(id);
      var pairs = anchor && anchor.getAttribute ? anchor.getAttribute("data-seg") : null;
      group = pairs ? bySegment[pairs] : null;
    }
    if (!group) { return; }
    for (var k = 0; k < group.length; k++) { group[k].classList.add("targeted"); }
  }
  window.addEventListener("hashchange", showTarget);
  showTarget();

  /* --- word and term help --------------------------------------------------------- */

  var popup = document.getElementById("popup");
  var words = window.BITEXT_WORDS || {};
  var terms = window.BITEXT_TERMS || {};
  var hoverTimer = null;
  var shownFor = null;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function own(table, key) {
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null;
  }

  function fillTerm(node) {
    var entry = own(terms, node.getAttribute("data-term"));
    if (!entry) { return false; }
    popup.appendChild(element("span", "popup-head", node.getAttribute("data-term")));
    if (entry.pinyin) { popup.appendChild(element("span", "popup-pinyin", entry.pinyin)); }
    popup.appendChild(element("span", "popup-target", entry.en + (entry.keep ? " (kept as is)" : "")));
    if (entry.note) { popup.appendChild(element("span", "popup-note", entry.note)); }
    if (entry.href) {
      var more = element("a", "", "Glossary entry");
      more.setAttribute("href", entry.href);
      popup.appendChild(more);
    }
    return true;
  }

  function fillWord(node) {
    var word = node.textContent;
    var readings = own(words, word);
    if (!readings) { return false; }
    popup.appendChild(element("span", "popup-head", word));
    for (var j = 0; j < readings.length; j++) {
      var reading = element("div", "popup-reading");
      reading.appendChild(element("span", "popup-pinyin", readings[j][0]));
      reading.appendChild(element("span", "popup-senses", " " + readings[j][1]));
      popup.appendChild(reading);
    }
    return true;
  }

  function showHelp(node) {
    if (!popup) { return; }
    var isTerm = node.classList.contains("term");
    if (!isTerm && !root.classList.contains("wordhelp")) { return; }
    if (shownFor === node && !popup.hidden) { return; }
    popup.textContent = "";
    if (!(isTerm ? fillTerm(node) : fillWord(node))) { hidePopup(); return; }
    popup.hidden = false;
    shownFor = node;
    place(node);
  }

  function place(node) {
    var box = node.getBoundingClientRect();
    var width = popup.offsetWidth;
    var viewport = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(box.left, viewport - width - 8));
    var top = box.bottom + 6;
    if (top + popup.offsetHeight > window.innerHeight && box.top > popup.offsetHeight + 6) {
      top = box.top - popup.offsetHeight - 6;
    }
    popup.style.left = (left + window.scrollX) + "px";
    popup.style.top = (top + window.scrollY) + "px";
  }

  function hidePopup() {
    if (popup) { popup.hidden = true; }
    shownFor = null;
  }

  function hoverHelp(node) {
    if (shownFor === node) { return; }
    cancelHover();
    hoverTimer = window.setTimeout(function () { showHelp(node); }, node.classList.contains("term") ? 150 : 350);
  }
  function cancelHover() {
    if (hoverTimer) { window.clearTimeout(hoverTimer); hoverTimer = null; }
  }

  /* --- clicks and keys ----------------------------------------------------------- */

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target.closest ? target.closest("button") : null;
    if (button) {
      if (button.hasAttribute("data-set-view")) { setView(button.getAttribute("data-set-view"), true); }
      else if (button.hasAttribute("data-set-script")) { setScript(button.getAttribute("data-set-script"), true); }
      else if (button.hasAttribute("data-toggle-wordhelp")) {
        setWordHelp(!root.classList.contains("wordhelp"), true);
      }
      else if (button.hasAttribute("data-toggle-provenance")) {
        setProvenance(!root.classList.contains("provenance"), true);
      }
      return;
    }
    if (popup && popup.contains(target)) { return; }
    var help = target.closest ? target.closest(".term, .w") : null;
    if (help && !target.closest("a")) {
      cancelHover();
      showHelp(help);
    } else {
      hidePopup();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hidePopup(); return; }
    /* Enter on a focused sentence shows its first glossary term's entry. */
    if (event.key === "Enter") {
      var segment = segmentOf(document.activeElement);
      var term = segment ? segment.querySelector(".term") : null;
      if (term && document.activeElement === segment) { showHelp(term); }
    }
  });

  window.addEventListener("resize", function () { if (shownFor) { place(shownFor); } });
})();
