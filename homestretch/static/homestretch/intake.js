/* The new-application form: find a candidate or a job as one types, and show the fields of a new
   record only when no recorded one is picked. Written here; without it the form still works (the
   "Find" buttons search, every field stays visible). */
(function () {
  "use strict";
  var form = document.getElementById("new-application");
  if (!form || !window.fetch) { return; }
  var searchUrl = form.dataset.searchUrl;
  var minChars = parseInt(form.dataset.minChars || "2", 10);
  form.classList.add("is-wired");

  // A picker's select shows its "new" block only while "New …" (the blank choice) is chosen.
  function wireNewBlock(kind) {
    var select = form.querySelector("select[name=" + kind + "]");
    var block = form.querySelector("[data-new-for=" + kind + "]");
    if (!select || !block) { return; }
    function update() { block.classList.toggle("is-hidden", select.value !== ""); }
    select.addEventListener("change", update);
    update();
  }
  ["candidate", "job", "client"].forEach(wireNewBlock);

  function wirePicker(picker) {
    var kind = picker.dataset.kind;
    var input = picker.querySelector("input[name=" + kind + "_query]");
    var select = picker.querySelector("select[name=" + kind + "]");
    var list = picker.querySelector(".picks");
    if (!input || !select || !list) { return; }
    var timer = null, asked = 0, active = -1;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true; list.innerHTML = ""; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(item) {
      var id = item.dataset.id;
      var option = select.querySelector("option[value='" + id + "']");
      if (!option) { option = new Option(item.dataset.label, id); select.add(option); }
      select.value = id;
      select.dispatchEvent(new Event("change"));
      input.value = "";
      close();
      select.focus();
    }
    function highlight(position) {
      var items = list.querySelectorAll("li[data-id]");
      if (!items.length) { return; }
      active = (position + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    function show(results) {
      list.innerHTML = "";
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "none"; none.textContent = "Nothing found: fill in a new one below.";
        list.appendChild(none);
      }
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = kind + "-pick-" + i;
        item.setAttribute("role", "option");
        item.dataset.id = result.id; item.dataset.label = result.label;
        item.textContent = result.label;
        if (result.detail) {
          var detail = document.createElement("span");
          detail.className = "detail"; detail.textContent = result.detail;
          item.appendChild(detail);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        list.appendChild(item);
      });
      list.hidden = false; active = -1;
      input.setAttribute("aria-expanded", "true");
    }
    function search() {
      var query = input.value.trim();
      if (query.length < minChars) { close(); return; }
      var mine = ++asked;
      fetch(searchUrl + "?kind=" + kind + "&q=" + encodeURIComponent(query),
            {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (body) { if (mine === asked) { show(body.results || []); } })
        .catch(function () { /* the Find button still works */ });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter") {
        event.preventDefault();  // Enter in a search picks; it never submits the form
        var items = list.querySelectorAll("li[data-id]");
        if (items.length) { choose(items[active >= 0 ? active : 0]); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  form.querySelectorAll(".picker[data-kind]").forEach(wirePicker);
})();
