/* Homestretch: small progressive enhancements, written here. Every page works without them. */
(function () {
  "use strict";

  // Stage moves: show the loss fields only when the chosen stage is a loss, and the reason and
  // lessons only when it closes the application (without script every field stays visible).
  function wireMoveForm(form) {
    var losses = (form.dataset.lossStages || "").split(" ");
    var closing = (form.dataset.closingStages || "").split(" ");
    var select = form.querySelector("select[name=to_stage]");
    if (!select) { return; }
    form.classList.add("is-wired");
    function update() {
      form.classList.toggle("is-loss", losses.indexOf(select.value) !== -1);
      form.classList.toggle("is-closing", closing.indexOf(select.value) !== -1);
    }
    select.addEventListener("change", update);
    update();
  }
  document.querySelectorAll("form.move-form").forEach(wireMoveForm);

  // Log a touch: the competing-offer fields matter once the candidate disclosed a process.
  var answer = document.getElementById("id_competition_answer");
  var asked = document.getElementById("id_competition_asked");
  if (answer && asked) {
    answer.addEventListener("change", function () { if (answer.value) { asked.checked = true; } });
  }

  // The board: drag a card onto another column to move it; a loss opens the card's form to ask why.
  var board = document.querySelector(".board");
  if (board) {
    var losses = (board.dataset.lossStages || "").split(" ");
    var closingStages = (board.dataset.closingStages || "").split(" ");
    var dragged = null;
    board.addEventListener("dragstart", function (event) {
      dragged = event.target.closest(".board-card");
      // Only a card the user may move carries a move form (others' cards are read only).
      if (dragged && !dragged.querySelector("form.move-form")) { dragged = null; event.preventDefault(); return; }
      if (dragged) { event.dataTransfer.setData("text/plain", dragged.dataset.application); }
    });
    board.querySelectorAll(".column").forEach(function (column) {
      column.addEventListener("dragover", function (event) { event.preventDefault(); column.classList.add("drop-target"); });
      column.addEventListener("dragleave", function () { column.classList.remove("drop-target"); });
      column.addEventListener("drop", function (event) {
        event.preventDefault();
        column.classList.remove("drop-target");
        if (!dragged) { return; }
        var form = dragged.querySelector("form.move-form");
        var select = form.querySelector("select[name=to_stage]");
        select.value = column.dataset.stage;
        select.dispatchEvent(new Event("change"));
        if (losses.indexOf(column.dataset.stage) !== -1) {
          dragged.querySelector("details").open = true;
          form.querySelector("select[name=loss_reason]").focus();
        } else if (closingStages.indexOf(column.dataset.stage) !== -1) {
          // A hire closes the application too: ask what won it before moving.
          dragged.querySelector("details").open = true;
          form.querySelector("[name=reason]").focus();
        } else {
          form.submit();
        }
      });
    });
  }

  // A refused form: its first error in view and focused. Without script the form's action ends with
  // the anchor of its box, so that the page still opens at the form; with script the anchor is dropped
  // when sending (the browser would focus the box, not the field, once the page is loaded) and the
  // first error is focused here. The links of an error summary focus the field they name.
  document.addEventListener("submit", function (event) {
    var action = event.target.getAttribute("action") || "";
    if (action.indexOf("#") !== -1) { event.target.setAttribute("action", action.split("#")[0]); }
  });
  function focusField(field) {
    var details = field.closest("details");
    if (details) { details.open = true; }
    field.focus({ preventScroll: true });
    field.scrollIntoView({ block: "center" });
  }
  var firstError = document.querySelector("main [aria-invalid=true], main .board-card.refused .error") ||
    document.querySelector("main .error-box");
  if (firstError) { focusField(firstError); }
  document.querySelectorAll(".error-summary a, .error-box a, .board-refusal a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) { return; }
      event.preventDefault();
      focusField(target);
    });
  });

})();
