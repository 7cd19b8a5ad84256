// Autosave for questionnaire sections: saves a few seconds after typing stops
// and whenever a field is left; shows "saved at"; warns before leaving with
// changes that have not reached the server; stops and explains on a conflict.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var enabled = form.dataset.autosave === "on";
  var dirty = false, inflight = null, timer = null, stopped = !enabled;

  function say(text) { if (status) status.textContent = text; }

  function clearErrors() {
    form.querySelectorAll(".autosave-error").forEach(function (el) { el.remove(); });
    form.querySelectorAll(".is-invalid[data-autosave-marked]").forEach(function (el) {
      el.classList.remove("is-invalid"); el.removeAttribute("data-autosave-marked"); el.removeAttribute("aria-invalid");
    });
  }

  function showErrors(errors) {
    Object.keys(errors || {}).forEach(function (id) {
      var field = document.getElementById(id);
      var note = document.createElement("div");
      note.className = "invalid-feedback d-block autosave-error";
      note.id = id + "-autosave-error";
      note.textContent = errors[id].join(" ");
      if (field) {
        field.classList.add("is-invalid");
        field.setAttribute("data-autosave-marked", "1");
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + note.id).trim());
        field.insertAdjacentElement("afterend", note);
      } else {
        form.insertAdjacentElement("afterbegin", note);
      }
    });
  }

  function schedule(delay) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function save() {
    if (stopped || !dirty) return Promise.resolve();
    if (inflight) { schedule(500); return inflight; }
    dirty = false;
    say(form.dataset.savingText || "Saving…");
    inflight = fetch(form.action || window.location.href, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"X-Autosave": "1", "X-Requested-With": "fetch"}
    }).then(function (response) {
      if (response.status === 403) { stopped = true; say("This draft can no longer be edited; reload the page to see why."); return; }
      return response.json().then(function (body) {
        clearErrors();
        if (body.status === "saved") {
          form.elements._revision.value = body.revision;
        } else if (body.status === "invalid") {
          showErrors(body.errors);
        } else if (body.status === "conflict") {
          stopped = true;
          showConflict(body.message);
        }
        say(body.message);
      });
    }).catch(function () {
      dirty = true;
      say("The server could not be reached: your changes are still in this page. Retrying in 10 seconds.");
      schedule(10000);
    }).finally(function () { inflight = null; });
    return inflight;
  }

  function showConflict(message) {
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    box.textContent = message + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-danger";
    button.textContent = "Compare both versions and choose";
    button.addEventListener("click", function () { dirty = false; form.submit(); });
    box.appendChild(button);
    form.insertAdjacentElement("beforebegin", box);
  }

  form.addEventListener("input", function () { dirty = true; say("Unsaved changes…"); schedule(3000); });
  form.addEventListener("change", function () { dirty = true; schedule(800); });
  form.addEventListener("focusout", function () { if (dirty) schedule(0); });
  form.addEventListener("submit", function () { dirty = false; stopped = true; clearTimeout(timer); });

  // Other forms on the page (add or remove a supplier) wait for pending input to be saved first.
  document.querySelectorAll("form").forEach(function (other) {
    if (other === form) return;
    other.addEventListener("submit", function (event) {
      if (!dirty && !inflight) return;
      event.preventDefault();
      clearTimeout(timer);
      Promise.resolve(inflight).then(save).then(function () { dirty = false; other.submit(); });
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty || inflight) { event.preventDefault(); event.returnValue = ""; }
  });

  // Suppliers: the share of each segment the listed suppliers describe, and the "other or unknown" rest.
  var shares = document.getElementById("segment-shares");
  if (shares) {
    var recount = function () {
      shares.querySelectorAll("tr[data-segment]").forEach(function (row) {
        var total = null;
        form.querySelectorAll("input[name$='-" + row.dataset.segment + "']").forEach(function (input) {
          var value = parseFloat(input.value.replace(",", "."));
          if (!isNaN(value)) { total = (total || 0) + value; }
        });
        row.querySelector(".listed").textContent = total === null ? "—" : String(Math.round(total * 100) / 100);
        row.querySelector(".remainder").textContent = total === null ? (shares.dataset.notReported || "not reported")
          : String(Math.max(0, Math.round((100 - total) * 100) / 100));
      });
    };
    form.addEventListener("input", recount);
  }

  // The risk level of a scenario, from the cycle's matrix, as the user types.
  var matrixNode = document.getElementById("risk-matrix");
  if (matrixNode) {
    var matrix = JSON.parse(matrixNode.textContent);
    var update = function (output) {
      var p = output.dataset.prefix;
      var l = document.getElementById("id_" + p + "-likelihood").value;
      var i = document.getElementById("id_" + p + "-impact").value;
      output.textContent = (l && i && matrix[l + "x" + i]) || "—";
    };
    document.querySelectorAll("output.risk-level").forEach(function (output) {
      update(output);
      ["likelihood", "impact"].forEach(function (name) {
        document.getElementById("id_" + output.dataset.prefix + "-" + name)
          .addEventListener("change", function () { update(output); });
      });
    });
  }
})();
