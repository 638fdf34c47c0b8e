// Kuota Inklusi's own enhancements, run after the USWDS script (both deferred, in that order).
// Everything here is progressive: without JavaScript every form works as the server sent it.
//
// 1. USWDS combo boxes (long single choices such as a regency): USWDS moves the <select>'s id
//    to a new text input but not its hint and error (aria-describedby, aria-invalid), and it
//    speaks English only. We carry those over and use the page's own words (data-* attributes
//    written by templates/macros.html in the page's language).
// 2. The regency picker for a <select multiple> (a staff account's regions, a candidate's other
//    regencies): a combo box to find and add one, the chosen ones listed as remove buttons, an
//    aria-live status. The <select multiple> stays in the form, hidden, and holds the value, so
//    the server sees exactly what the plain list would send.
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  // ---- 1. USWDS combo boxes ---------------------------------------------------------------
  function mendComboBox(box) {
    var select = box.querySelector("select");
    var input = box.querySelector(".usa-combo-box__input");
    if (!select || !input) { return; }
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) {
        input.setAttribute(name, select.getAttribute(name));
        select.removeAttribute(name);
      }
    });
    if (input.getAttribute("aria-invalid") === "true") { input.classList.add("usa-input--error"); }
    var clear = box.querySelector(".usa-combo-box__clear-input");
    var toggle = box.querySelector(".usa-combo-box__toggle-list");
    if (clear && box.dataset.clearLabel) { clear.setAttribute("aria-label", box.dataset.clearLabel); }
    if (toggle && box.dataset.toggleLabel) { toggle.setAttribute("aria-label", box.dataset.toggleLabel); }
    var status = box.querySelector(".usa-combo-box__status");
    var list = box.querySelector(".usa-combo-box__list");
    var matches = box.dataset.matches;
    var noMatch = box.dataset.noMatch;
    if (!status || !matches || !noMatch) { return; }
    // USWDS writes "N results available." / "No results." / "No results found": say it in the
    // page's language. Our own change does not match the English again, so this settles.
    new MutationObserver(function () {
      var found = /^(\d+) results? available\.$/.exec(status.textContent);
      if (found) { status.textContent = fill(matches, { num: found[1] }); }
      if (status.textContent === "No results.") { status.textContent = noMatch; }
      var none = list && list.querySelector(".usa-combo-box__list-option--no-results");
      if (none && none.textContent === "No results found") { none.textContent = noMatch; }
    }).observe(box, { childList: true, subtree: true, characterData: true });
  }

  // ---- 2. The regency picker --------------------------------------------------------------
  var pickers = 0;

  function enhancePicker(wrapper) {
    var select = wrapper.querySelector("select[multiple]");
    if (!select || wrapper.dataset.enhanced) { return; }
    wrapper.dataset.enhanced = "true";
    pickers += 1;
    var words = wrapper.dataset;
    var id = select.id;
    var key = "picker-" + pickers;
    var label = document.querySelector('label[for="' + id + '"]');
    var options = Array.prototype.slice.call(select.options).filter(function (o) { return o.value; });

    // The input takes the select's id, so the label and the error summary's link lead to it.
    select.id = id + "-select";
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;

    var hint = document.createElement("div");
    hint.className = "usa-hint";
    hint.id = key + "-hint";
    hint.textContent = words.inputHint;

    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.className = "usa-input" + (select.getAttribute("aria-invalid") ? " usa-input--error" : "");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", key + "-list");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("autocapitalize", "off");
    input.setAttribute("spellcheck", "false");
    var described = [hint.id].concat((select.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
    input.setAttribute("aria-describedby", described.join(" "));
    if (select.getAttribute("aria-invalid")) { input.setAttribute("aria-invalid", "true"); }
    // The plain list's own hint ("hold Ctrl to choose several") no longer applies.
    var plainHint = document.getElementById(id + "-hint");
    if (plainHint) { plainHint.hidden = true; described = described.filter(function (d) { return d !== plainHint.id; }); input.setAttribute("aria-describedby", described.join(" ")); }

    var list = document.createElement("ul");
    list.id = key + "-list";
    list.className = "multi-picker__list";
    list.setAttribute("role", "listbox");
    if (label) {
      label.id = label.id || key + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;

    var chosenHeading = document.createElement("p");
    chosenHeading.className = "usa-sr-only";
    chosenHeading.id = key + "-chosen-label";
    chosenHeading.textContent = words.chosenLabel;
    var chosen = document.createElement("ul");
    chosen.className = "multi-picker__chosen";
    chosen.setAttribute("aria-labelledby", chosenHeading.id);
    var none = document.createElement("p");
    none.className = "multi-picker__none";
    none.textContent = words.noneChosen;

    var status = document.createElement("div");
    status.className = "usa-sr-only";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    wrapper.appendChild(hint);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(chosenHeading);
    wrapper.appendChild(chosen);
    wrapper.appendChild(none);
    wrapper.appendChild(status);

    var shown = [];   // options listed now
    var active = -1;  // index in `shown` of the highlighted one

    function say(message) {
      // A fresh text node each time, so the same words said twice are announced twice.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }

    function normal(text) {
      return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll('[role="option"]');
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      Array.prototype.forEach.call(items, function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function open() {
      var query = normal(input.value.trim());
      shown = options.filter(function (o) {
        return !o.selected && (!query || normal(o.text).indexOf(query) !== -1);
      });
      list.innerHTML = "";
      if (!shown.length) {
        var empty = document.createElement("li");
        empty.className = "multi-picker__empty";
        empty.textContent = words.noMatch;
        list.appendChild(empty);
      }
      shown.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = key + "-option-" + i;
        item.className = "multi-picker__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = option.text;
        // A regency list is grouped by province: say which, for names found in several.
        if (option.parentElement && option.parentElement.tagName === "OPTGROUP") {
          var group = document.createElement("span");
          group.className = "multi-picker__group";
          group.textContent = " \u00b7 " + option.parentElement.label;
          item.appendChild(group);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { add(option); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
      say(shown.length ? fill(words.matches, { num: String(shown.length) }) : words.noMatch);
    }

    function render() {
      chosen.innerHTML = "";
      var picked = options.filter(function (o) { return o.selected; });
      picked.forEach(function (option) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "multi-picker__remove";
        button.setAttribute("aria-label", fill(words.remove, { name: option.text }));
        button.dataset.value = option.value;
        var name = document.createElement("span");
        name.textContent = option.text;
        var x = document.createElement("span");
        x.className = "multi-picker__x";
        x.setAttribute("aria-hidden", "true");
        x.textContent = "\u00d7";
        button.appendChild(name);
        button.appendChild(x);
        button.addEventListener("click", function () { remove(option, button); });
        item.appendChild(button);
        chosen.appendChild(item);
      });
      chosen.hidden = !picked.length;
      none.hidden = picked.length > 0;
    }

    function add(option) {
      option.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = "";
      close();
      render();
      input.focus();
      say(fill(words.added, { name: option.text }));
    }

    function remove(option, button) {
      // Focus goes to the next remove button, else the previous, else back to the input.
      var buttons = Array.prototype.slice.call(chosen.querySelectorAll("button"));
      var at = buttons.indexOf(button);
      option.selected = false;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      render();
      var rest = chosen.querySelectorAll("button");
      if (rest.length) { rest[Math.min(at, rest.length - 1)].focus(); } else { input.focus(); }
      say(fill(words.removed, { name: option.text }));
    }

    input.addEventListener("input", open);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { open(); }
        highlight(event.key === "ArrowDown" ? active + 1 : (active < 0 ? -1 : active - 1));
      } else if (event.key === "Enter") {
        if (!list.hidden) {
          event.preventDefault();  // Enter adds the highlighted one; it never sends the form from here
          if (active < 0 && shown.length === 1) { active = 0; }
          if (active >= 0 && shown[active]) { add(shown[active]); }
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    render();
  }

  document.querySelectorAll(".usa-combo-box").forEach(mendComboBox);
  document.querySelectorAll("[data-multi-picker]").forEach(enhancePicker);
}());
