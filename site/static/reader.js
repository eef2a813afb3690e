// The site's one script (the Content-Security-Policy allows no inline script): the article pages'
// highlights, the fact sheets' folded values and cite buttons.
(function () {
  "use strict";

  // An article: the whole span of the row in the address (#ev-…), every piece of it, not only its first.
  function showSpan(id) {
    document.querySelectorAll("mark.q.current").forEach(function (m) { m.classList.remove("current"); });
    var el = id && document.getElementById(id);
    if (!el || !el.matches("mark.q")) return;
    var g = el.getAttribute("data-span");
    document.querySelectorAll("#article-text mark.q[data-g]").forEach(function (m) {
      if (m.getAttribute("data-g").split(" ").indexOf(g) >= 0) m.classList.add("current");
    });
  }

  // An article at #char=<start>,<end> (RFC 5147 offsets into its text, as search results link): that sentence.
  function showSentence(hash) {
    var m = /^char=(\d+),(\d+)$/.exec(hash), root = document.getElementById("article-text");
    document.querySelectorAll("mark.sentence").forEach(function (s) { s.replaceWith.apply(s, s.childNodes); });
    if (!m || !root) return;
    var start = +m[1], end = +m[2], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), pos = 0;
    var pieces = [], node;
    while ((node = walker.nextNode())) {  // the text nodes the sentence covers, and the part of each
      var next = pos + node.data.length;
      if (next > start && pos < end) pieces.push([node, Math.max(start - pos, 0), Math.min(end, next) - pos]);
      pos = next;
    }
    pieces.forEach(function (p, i) {
      var range = document.createRange(), mark = document.createElement("mark");
      range.setStart(p[0], p[1]); range.setEnd(p[0], p[2]);
      mark.className = "sentence";
      range.surroundContents(mark);
      if (i === 0) mark.scrollIntoView({block: "center"});
    });
  }

  // A fact sheet: a value named in the address opens, with its evidence.
  function openValue(id) {
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView({block: "start"}); }
  }

  function follow() {
    var hash = decodeURIComponent(location.hash.slice(1));
    showSpan(hash);
    showSentence(hash);
    openValue(hash);
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("button.cite");
    if (!button) return;
    var line = button.getAttribute("data-cite"), done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(line).then(done, function () { select(button); });
    } else {
      select(button);
    }
  });

  function select(button) {  // no clipboard (plain http): select the line for the reader to copy
    var code = button.parentNode.querySelector("code"), range = document.createRange();
    range.selectNodeContents(code);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    button.textContent = "Selected: copy it";
  }

  window.addEventListener("hashchange", follow);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", follow); else follow();
})();
