// Send mail: what the composer does in the browser before the server has its say.
// - Use template: the sender, subject and body follow the template and cannot be edited until
//   Use template is turned off (the server sends the template's content while it is on).
// - Attachments: a quick check of the chosen files' extensions and sizes, so a refused file gets
//   its message at once; the server checks them for real (zip archives included).
(function () {
  "use strict";

  var LOCKED = ["id_sender_name", "id_sender_address", "id_title", "id_body"];

  function lockContent(locked) {
    LOCKED.forEach(function (id) {
      var field = document.getElementById(id);
      if (field) field.readOnly = locked;
    });
    document.querySelectorAll("#step-content input[name=body_type]").forEach(function (radio) {
      radio.disabled = locked && !radio.checked;
    });
    var content = document.getElementById("step-content");
    if (content) content.toggleAttribute("data-from-template", locked);
    if (window.tinymce && tinymce.get("id_body")) {
      tinymce.get("id_body").mode.set(locked ? "readonly" : "design");
    }
  }

  function useTemplate() {
    var box = document.getElementById("id_use_template");
    return !!(box && box.checked);
  }

  // The extension as Windows sees it: it drops trailing dots and spaces (a.exe. is a.exe).
  function extension(name) {
    name = name.replace(/[. ]+$/, "");
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  }

  // The message of the first file the server would refuse, or "".
  function refusal(input) {
    var refused = (input.dataset.refused || "").split(" ");
    var maxFile = Number(input.dataset.maxFile), maxTotal = Number(input.dataset.maxTotal);
    var total = 0;
    document.querySelectorAll("#attachments [data-size]").forEach(function (kept) {
      total += Number(kept.dataset.size);
    });
    for (var i = 0; i < input.files.length; i++) {
      var file = input.files[i];
      if (refused.indexOf(extension(file.name)) >= 0) {
        return input.dataset.msgExtension.replace("%s", file.name);
      }
      if (file.size > maxFile) return input.dataset.msgSize.replace("%s", file.name);
      total += file.size;
    }
    return total > maxTotal ? input.dataset.msgTotal : "";
  }

  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) closer.closest("dialog").close();
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "id_use_template") lockContent(event.target.checked);
  });

  document.addEventListener("htmx:confirm", function (event) {
    var input = event.target;
    if (input.id !== "id_upload") return;
    var message = refusal(input);
    var shown = document.getElementById("attachment-quick-check");
    shown.textContent = message;
    shown.hidden = !message;
    if (message) {
      event.preventDefault();
      input.value = "";
    }
  });

  // Chosen files have been sent and kept: the input is emptied for the next ones.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.target.id === "id_upload") event.target.value = "";
  });

  function init() {
    if (useTemplate()) lockContent(true);
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:load", function (event) {
    if (event.target === document.body) init();
  });
  // TinyMCE starts after the page: lock it too once it is there.
  document.addEventListener("tinymce-editor-init", init);
  if (window.tinymce) {
    tinymce.on("AddEditor", function (event) {
      event.editor.on("init", function () { if (useTemplate()) lockContent(true); });
    });
  }
})();
