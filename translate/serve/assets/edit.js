/* bitext serve: live reload and the English editor. Served only by `bitext serve` at /_bitext/edit.js,
   never written to build/html. No eval, no innerHTML: every text from the server or the translator is set
   with textContent. The glossary proof is the server's (POST /_bitext/proof): no copy of the rule runs here. */
(function () {
  "use strict";

  var root = document.documentElement;
  var tokenMeta = document.querySelector('meta[name="bitext-serve-token"]');
  if (!tokenMeta) { return; }
  var TOKEN = tokenMeta.getAttribute("content");
  var generationMeta = document.querySelector('meta[name="bitext-serve-generation"]');
  var pageGeneration = generationMeta ? parseInt(generationMeta.getAttribute("content"), 10) || 0 : 0;
  var SLUG = root.getAttribute("data-slug") || "";
  var PAGE = decodeURIComponent(window.location.pathname.split("/").pop() || "") || "index.html";
  var SHARED = ["edition.css", "edition.js", "words.js"];
  var FOCUS_KEY = "bitext.serve.focus";
  var MODE_KEY = "bitext.serve.edit";
  var UNDO_KEY = "bitext.serve.undo";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function button(className, text, onClick) {
    var node = element("button", className, text);
    node.type = "button";
    if (onClick) { node.addEventListener("click", onClick); }
    return node;
  }
  function load(key) { try { return window.sessionStorage.getItem(key); } catch (e) { return null; } }
  function save(key, value) { try { window.sessionStorage.setItem(key, value); } catch (e) { /* private mode */ } }

  function request(method, path, body) {
    var options = { method: method, headers: {}, credentials: "same-origin", cache: "no-store" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-Bitext-Token"] = TOKEN;
      options.body = JSON.stringify(body);
    }
    return window.fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }, function () { return { status: 0, data: { error: "the server does not answer (is bitext serve running?)" } }; });
  }

  /* --- the bar: messages, undo, keys ---------------------------------------------------------------------- */

  var bar = element("div", "bitext-bar");
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", "bitext serve");
  var live = element("span", "bitext-live", "Live preview");
  var message = element("span", "bitext-message");
  message.setAttribute("role", "status");
  message.setAttribute("aria-live", "polite");
  var undoButton = button("bitext-undo", "Undo last save");
  bar.appendChild(live);
  bar.appendChild(message);
  if (SLUG) {
    bar.appendChild(undoButton);
    bar.appendChild(element("span", "bitext-keys",
      "click a sentence or Enter: edit · Ctrl+Enter: save · Esc: cancel · n / p: next / previous to check · u: undo"));
  }
  document.body.appendChild(bar);

  function say(text, kind) {
    message.textContent = text || "";
    message.setAttribute("data-kind", kind || "");
  }

  /* --- build status and reloads ---------------------------------------------------------------------------- */

  var pendingReload = false;
  /* Set once the page reloads: a later status (the PDF build finishing) must not start a second navigation,
     which would abort the first. */
  var reloading = false;
  var lost = false;

  function statusBanner() {
    var banner = document.getElementById("bitext-serve-status");
    if (!banner) {
      banner = element("div", "bitext-serve-status");
      banner.id = "bitext-serve-status";
      banner.setAttribute("role", "alert");
      banner.appendChild(element("strong", "", "The last build failed"));
      banner.appendChild(document.createTextNode(" — this is the last good build. "));
      banner.appendChild(element("span", "bitext-serve-error"));
      document.body.insertBefore(banner, document.body.firstChild);
    }
    return banner;
  }
  function showError(text) {
    var banner = statusBanner();
    banner.hidden = false;
    banner.querySelector(".bitext-serve-error").textContent = text;
    live.textContent = "Build failed";
    live.setAttribute("data-kind", "error");
  }
  function hideError() {
    var banner = document.getElementById("bitext-serve-status");
    if (banner) { banner.hidden = true; }
    live.textContent = "Live preview";
    live.setAttribute("data-kind", "");
  }

  function affects(changed) {
    for (var i = 0; i < changed.length; i++) {
      if (changed[i] === PAGE || SHARED.indexOf(changed[i]) >= 0) { return true; }
    }
    return false;
  }

  function reload() {
    if (reloading) { return; }
    if (editor) {
      pendingReload = true;
      say("The page changed on disk: it reloads when you save or cancel this sentence.", "info");
      return;
    }
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".seg[data-seg]") : null;
    var seg = editor ? editor.seg : (focused ? focused.getAttribute("data-seg") : "");
    var kept = {};
    try { kept = JSON.parse(load(FOCUS_KEY) || "{}") || {}; } catch (e) { kept = {}; }
    save(FOCUS_KEY, JSON.stringify({ page: PAGE, seg: seg || (kept.page === PAGE ? kept.seg : ""),
                                     y: window.scrollY, note: kept.page === PAGE ? kept.note : "" }));
    reloading = true;
    window.location.reload();
  }

  function onBuild(status) {
    if (lost) { lost = false; reload(); return; }  /* the server restarted: a new token, maybe new pages */
    if (status.building) { live.textContent = "Rebuilding …"; return; }
    if (status.error) { showError(status.error); return; }
    hideError();
    /* A page the build has still to write (status.pending) waits for the status that says it is done. */
    if ((status.pending || []).indexOf(PAGE) >= 0) { return; }
    if (status.generation > pageGeneration && affects(status.changed || [])) { reload(); }
  }

  if (window.EventSource) {
    var events = new window.EventSource("/_bitext/events");
    events.addEventListener("build", function (event) {
      var status;
      try { status = JSON.parse(event.data); } catch (e) { return; }
      onBuild(status);
    });
    events.addEventListener("error", function () {
      lost = true;
      live.textContent = "Disconnected";
      live.setAttribute("data-kind", "error");
    });
  }

  (function restore() {
    var kept;
    try { kept = JSON.parse(load(FOCUS_KEY) || "null"); } catch (e) { kept = null; }
    if (!kept || kept.page !== PAGE) { return; }
    window.sessionStorage.removeItem(FOCUS_KEY);
    if (typeof kept.y === "number") { window.scrollTo(0, kept.y); }
    var target = kept.seg ? englishSegment(kept.seg) : null;
    if (target) { target.focus({ preventScroll: true }); }
    if (kept.note) { say(kept.note, "ok"); }
  })();

  if (!SLUG) { return; }

  /* --- the edit view ------------------------------------------------------------------------------------------ */

  function englishSegment(seg) {
    var spans = document.querySelectorAll(".en .seg[data-seg]");
    for (var i = 0; i < spans.length; i++) {
      if (spans[i].getAttribute("data-seg") === seg) { return spans[i]; }
    }
    return null;
  }
  function segmentOf(node) {
    var span = node && node.closest ? node.closest(".seg[data-seg]") : null;
    return span && span.closest(".en") ? span : null;
  }
  function needsWork(span) {
    var c = span.classList;
    /* "uncertain": aligned English whose bead the aligner was least sure of (the build marks it). */
    return c.contains("origin-mt") || c.contains("origin-gloss") || c.contains("stale") || c.contains("violation") ||
      c.contains("uncertain");
  }
  function originText(data) {
    if (data.edited) { return "edited"; }
    if (data.stale) { return "stale edit: the Chinese changed, review it"; }
    if (data.origin !== "aligned") { return data.origin; }
    var sure = typeof data.confidence === "number" ? " (confidence " + data.confidence.toFixed(2) + ")" : "";
    return "aligned from an existing translation" + sure + (data.review ? " — check it" : "") +
      "; saving confirms it";
  }

  var toggle = button("bitext-edit-toggle", "Edit English");
  toggle.setAttribute("aria-pressed", "false");
  var toolbar = document.querySelector(".toolbar");
  var group = element("div", "switch");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "Editing");
  group.appendChild(toggle);
  if (toolbar) { toolbar.appendChild(group); } else { bar.insertBefore(group, bar.firstChild); }

  function editing() { return root.classList.contains("bitext-editing"); }
  function setEditing(on) {
    root.classList.toggle("bitext-editing", on);
    toggle.setAttribute("aria-pressed", String(on));
    save(MODE_KEY, on ? "on" : "off");
    if (!on && editor) { editor.cancel(); }
  }
  setEditing(load(MODE_KEY) === "on");
  toggle.addEventListener("click", function () { setEditing(!editing()); });

  var editor = null;

  function undoStack() {
    try { return JSON.parse(load(UNDO_KEY) || "[]") || []; } catch (e) { return []; }
  }
  function refreshUndo() {
    var stack = undoStack();
    undoButton.disabled = stack.length === 0;
    undoButton.title = stack.length ? "Undo the save of " + stack[stack.length - 1].seg : "Nothing to undo";
  }
  refreshUndo();

  function Editor(span, data) {
    var self = this;
    this.seg = data.segment;
    this.span = span;
    this.data = data;
    this.version = data.version;
    this.original = data.en;
    this.sequence = 0;
    this.timer = null;

    var box = element("span", "bitext-editor");
    box.setAttribute("data-for", data.segment);
    var head = element("span", "bitext-editor-head");
    head.appendChild(element("span", "bitext-seg-id", data.segment));
    head.appendChild(element("span", "bitext-origin", originText(data)));
    box.appendChild(head);
    var zh = element("span", "bitext-zh", data.zh);
    zh.setAttribute("lang", "zh");
    box.appendChild(zh);
    if (data.stale && data.previous_zh) {
      box.appendChild(element("span", "bitext-previous", "Written for: " + data.previous_zh));
    }
    var area = element("textarea", "bitext-text");
    area.value = data.en;
    area.setAttribute("aria-label", "English of " + data.segment);
    area.setAttribute("maxlength", String(data.max_chars || 5000));
    area.setAttribute("spellcheck", "true");
    area.setAttribute("lang", "en");
    box.appendChild(area);
    var terms = element("ul", "bitext-terms");
    terms.setAttribute("aria-label", "Glossary terms in this sentence");
    box.appendChild(terms);
    var problems = element("ul", "bitext-problems");
    problems.setAttribute("aria-live", "polite");
    box.appendChild(problems);
    var conflict = element("span", "bitext-conflict");
    conflict.hidden = true;
    conflict.setAttribute("role", "alert");
    box.appendChild(conflict);
    var actions = element("span", "bitext-actions");
    actions.appendChild(button("bitext-save", "Save (Ctrl+Enter)", function () { self.save(); }));
    actions.appendChild(button("bitext-cancel", "Cancel (Esc)", function () { self.cancel(); }));
    box.appendChild(actions);

    this.box = box;
    this.area = area;
    this.terms = terms;
    this.problems = problems;
    this.conflict = conflict;

    span.classList.add("bitext-hidden");
    span.parentNode.insertBefore(box, span.nextSibling);
    this.fit();
    this.show(data);
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);

    area.addEventListener("input", function () { self.fit(); self.schedule(); });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault(); self.save(); return;
      }
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); self.cancel(); }
    });
  }

  Editor.prototype.dirty = function () { return this.area.value !== this.original; };
  Editor.prototype.fit = function () {
    this.area.style.height = "auto";
    this.area.style.height = Math.max(this.area.scrollHeight + 2, 48) + "px";
  };
  Editor.prototype.schedule = function () {
    var self = this;
    if (this.timer) { window.clearTimeout(this.timer); }
    this.box.setAttribute("data-proofing", "true");
    this.timer = window.setTimeout(function () { self.proof(); }, 150);
  };
  Editor.prototype.proof = function () {
    var self = this;
    var sequence = ++this.sequence;
    request("POST", "/_bitext/proof", { slug: SLUG, seg: this.seg, en: this.area.value }).then(function (reply) {
      if (sequence !== self.sequence || editor !== self) { return; }
      self.box.removeAttribute("data-proofing");
      if (reply.status === 200) { self.show(reply.data); } else { self.fail(reply.data.error || "proof failed"); }
    });
  };
  Editor.prototype.show = function (proof) {
    this.terms.textContent = "";
    var list = proof.terms || [];
    for (var i = 0; i < list.length; i++) {
      var item = element("li", list[i].honoured ? "honoured" : "missing");
      item.setAttribute("data-term", list[i].zh);
      item.appendChild(element("span", "bitext-mark", list[i].honoured ? "✓" : "✗"));
      item.appendChild(element("span", "bitext-term-zh", list[i].zh));
      item.appendChild(document.createTextNode(" → "));
      item.appendChild(element("span", "bitext-term-en", list[i].en));
      if ((list[i].alternates || []).length) { item.appendChild(element("span", "bitext-term-also", " (also: " + list[i].alternates.join(", ") + ")")); }
      item.appendChild(element("span", "bitext-term-state", list[i].honoured ? " honoured" : " missing"));
      this.terms.appendChild(item);
    }
    this.problems.textContent = "";
    if (proof.glossary_error) {
      this.problems.appendChild(element("li", "blocking", "Glossary error: " + proof.glossary_error));
    }
    if (proof.blocking) { this.problems.appendChild(element("li", "blocking", proof.blocking)); }
    var found = proof.problems || [];
    for (var j = 0; j < found.length; j++) {
      if (found[j].kind === "term") { continue; }  /* shown on the term list */
      this.problems.appendChild(element("li", "problem problem-" + found[j].kind, found[j].detail));
    }
  };
  Editor.prototype.fail = function (text) {
    this.problems.textContent = "";
    this.problems.appendChild(element("li", "blocking", text));
  };
  Editor.prototype.close = function () {
    if (this.timer) { window.clearTimeout(this.timer); }
    this.sequence++;
    this.box.parentNode.removeChild(this.box);
    this.span.classList.remove("bitext-hidden");
    this.span.focus({ preventScroll: true });
    editor = null;
    if (pendingReload) { pendingReload = false; reload(); }
  };
  Editor.prototype.cancel = function () {
    say("");
    this.close();
  };
  Editor.prototype.save = function (version) {
    var self = this;
    var text = this.area.value;
    if (version) { this.version = version; }
    request("POST", "/_bitext/save", { slug: SLUG, seg: this.seg, zh: this.data.zh, en: text,
                                        version: this.version }).then(function (reply) {
      if (editor !== self) { return; }
      if (reply.status === 200) {
        var result = reply.data;
        self.original = self.area.value;
        self.span.textContent = result.en;
        self.span.classList.remove("origin-mt", "origin-gloss", "origin-aligned", "uncertain", "stale");
        self.span.classList.add("origin-edited");
        self.span.setAttribute("data-origin", "edited");
        if (result.undo) {
          var stack = undoStack();
          stack.push({ id: result.undo, seg: self.seg });
          save(UNDO_KEY, JSON.stringify(stack.slice(-50)));
          refreshUndo();
        }
        var missing = 0;
        for (var i = 0; i < (result.problems || []).length; i++) { if (result.problems[i].kind === "term") { missing++; } }
        var note = result.written ? "Saved " + self.seg + " to the PO store" : "No change to " + self.seg;
        if (missing) { note += " — " + missing + " glossary term" + (missing > 1 ? "s" : "") + " missing"; }
        say(note, missing ? "warn" : "ok");
        save(FOCUS_KEY, JSON.stringify({ page: PAGE, seg: self.seg, y: window.scrollY, note: note }));
        self.close();
      } else if (reply.status === 409) {
        self.showConflict(reply.data);
      } else {
        self.fail(reply.data.error || ("save failed (" + reply.status + ")"));
      }
    });
  };
  Editor.prototype.showConflict = function (data) {
    var self = this;
    var box = this.conflict;
    box.textContent = "";
    box.hidden = false;
    box.appendChild(element("strong", "", data.error || "Conflict"));
    if (data.conflict === "chinese") {
      box.appendChild(element("span", "bitext-conflict-label", "The Chinese is now:"));
      box.appendChild(element("span", "bitext-conflict-text bitext-conflict-zh", data.zh || ""));
      box.appendChild(element("span", "bitext-conflict-label",
        "Your English stays in the box: copy it, then reload the page to edit the new sentence."));
      return;
    }
    box.appendChild(element("span", "bitext-conflict-label", "Saved meanwhile:"));
    box.appendChild(element("span", "bitext-conflict-text bitext-conflict-theirs", data.current || "(no edit: the machine English)"));
    box.appendChild(element("span", "bitext-conflict-label", "Yours (still in the box above):"));
    box.appendChild(element("span", "bitext-conflict-text bitext-conflict-yours", data.yours || this.area.value));
    box.appendChild(button("bitext-keep-mine", "Save mine over it", function () {
      box.hidden = true;
      self.save(data.version);
    }));
    box.appendChild(button("bitext-take-theirs", "Take the saved one", function () {
      box.hidden = true;
      self.version = data.version;
      if (data.current) { self.area.value = data.current; }
      self.original = self.area.value;
      self.fit();
      self.schedule();
      self.area.focus();
    }));
  };

  function open(span) {
    if (editor) {
      if (editor.span === span) { editor.area.focus(); return; }
      if (editor.dirty()) {
        say("Save (Ctrl+Enter) or cancel (Esc) " + editor.seg + " first.", "warn");
        editor.area.focus();
        return;
      }
      editor.close();
    }
    var seg = span.getAttribute("data-seg");
    say("Opening " + seg + " …");
    request("GET", "/_bitext/segment?slug=" + encodeURIComponent(SLUG) + "&seg=" + encodeURIComponent(seg))
      .then(function (reply) {
        if (reply.status !== 200) { say(reply.data.error || "cannot open " + seg, "error"); return; }
        if (editor) { return; }
        say("");
        editor = new Editor(span, reply.data);
      });
  }

  function step(direction) {
    var spans = Array.prototype.filter.call(document.querySelectorAll(".en .seg[data-seg]"), needsWork);
    if (!spans.length) { say("Every sentence is edited and honours the glossary.", "ok"); return; }
    var current = segmentOf(document.activeElement);
    var all = Array.prototype.slice.call(document.querySelectorAll(".en .seg[data-seg]"));
    var here = current ? all.indexOf(current) : (direction > 0 ? -1 : all.length);
    var target = null;
    for (var i = 0; i < spans.length; i++) {
      var position = all.indexOf(spans[i]);
      if (direction > 0 && position > here) { target = spans[i]; break; }
      if (direction < 0 && position < here) { target = spans[i]; }
    }
    if (!target) { target = direction > 0 ? spans[0] : spans[spans.length - 1]; }
    target.focus();
    target.scrollIntoView({ block: "center" });
    var why = target.classList.contains("violation") ? "glossary violation"
      : target.classList.contains("stale") ? "stale edit"
      : target.classList.contains("uncertain") ? "aligned English to check (the aligner was unsure)"
      : target.getAttribute("data-origin") + " English";
    say(target.getAttribute("data-seg") + ": " + why + " — Enter to edit", "info");
  }

  function undo() {
    var stack = undoStack();
    if (!stack.length) { say("Nothing to undo.", "info"); return; }
    var last = stack[stack.length - 1];
    request("POST", "/_bitext/undo", { undo: last.id }).then(function (reply) {
      if (reply.status === 200 || reply.status === 422) {
        stack.pop();
        save(UNDO_KEY, JSON.stringify(stack));
        refreshUndo();
      }
      if (reply.status === 200) {
        var note = "Undid the save of " + last.seg;
        var span = englishSegment(last.seg);
        if (span && reply.data.en) { span.textContent = reply.data.en; }
        say(note, "ok");
        save(FOCUS_KEY, JSON.stringify({ page: PAGE, seg: last.seg, y: window.scrollY, note: note }));
      } else if (reply.status === 409) {
        say("Cannot undo " + last.seg + ": it was changed again since (now: " + (reply.data.current || "machine English") +
            "). Edit it instead.", "error");
      } else {
        say(reply.data.error || "undo failed", "error");
      }
    });
  }
  undoButton.addEventListener("click", undo);

  /* Capture phase: in the edit view a click or Enter on an English sentence opens the editor instead of
     the reading aids' term popup. */
  window.addEventListener("click", function (event) {
    if (!editing()) { return; }
    var span = segmentOf(event.target);
    if (!span || span.classList.contains("bitext-hidden")) { return; }
    event.preventDefault();
    event.stopPropagation();
    open(span);
  }, true);

  window.addEventListener("keydown", function (event) {
    var inField = event.target && (event.target.tagName === "TEXTAREA" || event.target.tagName === "INPUT");
    if (inField || event.altKey || event.ctrlKey || event.metaKey || !editing()) { return; }
    var span = segmentOf(document.activeElement);
    if ((event.key === "Enter" || event.key === "e") && span) {
      event.preventDefault(); event.stopPropagation(); open(span);
    } else if (event.key === "n" || event.key === "j") {
      event.preventDefault(); step(1);
    } else if (event.key === "p" || event.key === "k") {
      event.preventDefault(); step(-1);
    } else if (event.key === "u") {
      event.preventDefault(); undo();
    }
  }, true);
})();
