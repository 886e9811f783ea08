// Copy buttons, as progressive enhancement: a button marked
// data-copy-target="ID" copies the value of the readonly field ID and says so
// in the element named by data-copy-status. Without this script the button
// stays hidden and the field is still there to select and copy by hand.
// An external file because the Content-Security-Policy forbids inline script.
(function () {
  "use strict";

  function copyBySelection(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) {
      return;
    }
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    function say(ok) {
      if (status) {
        status.textContent = ok
          ? "Copied to the clipboard."
          : "Could not copy here: the token is selected, press Ctrl+C (or ⌘C) to copy it.";
      }
    }

    field.addEventListener("focus", function () {
      field.select();
    });
    button.addEventListener("click", function () {
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { say(true); },
          function () { say(copyBySelection(field)); }
        );
      } else {
        say(copyBySelection(field));
      }
    });
    button.hidden = false;
  });
})();
