// The brief page: copy its Markdown to the clipboard, print it. Plain JS, written here.
(function () {
  "use strict";
  var copy = document.getElementById("brief-copy");
  var status = document.getElementById("brief-copy-status");
  var printButton = document.getElementById("brief-print");
  function say(text) { if (status) { status.textContent = text; } }
  function fallback(source) {
    // Older browsers and plain-http pages have no async clipboard: select a visible copy and use execCommand.
    source.hidden = false;
    source.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    source.hidden = true;
    say(done ? "Markdown copied." : "Copy failed: select the text and copy it by hand.");
  }
  if (copy) {
    copy.addEventListener("click", function () {
      var source = document.getElementById(copy.getAttribute("data-target"));
      if (!source) { return; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(
          function () { say("Markdown copied."); },
          function () { fallback(source); }
        );
      } else {
        fallback(source);
      }
    });
  }
  if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
})();
