// Autosave for questionnaire sections.
//
// - Saves a few seconds after typing stops and whenever a field is left; one request at a time (the next is sent
//   when the previous has answered), so a user never conflicts with themself.
// - Every save sends only the fields typed in since the last save, each with what the page showed before ("base:"
//   fields): the server merges field by field against exactly that, checks only the rows it changes, and sends
//   back colleagues' changes since the page's revision, which the page then shows (unless the user has typed in
//   that field since).
// - A refusal (invalid input, a colleague's conflicting change, a lock) leaves the changes marked unsent: the
//   server keeps them as the user's unsaved input, and leaving the page still warns. A save that is valid except for
//   a few rows ("partial") is saved but for those: the page moves on to the new revision for the rest, keeps the
//   refused fields marked with their errors and sends them again with the next save, from their old base, until
//   the server takes or settles them (even typed back to what is saved, so that the kept input is given up).
// - When the server cannot be reached, what was typed is kept on this device (localStorage) and offered back.
// - Decimal fields show the number they will be read as, as the user types ("2,5" is 2.5).
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var enabled = form.dataset.autosave === "on";
  var dirty = false, inflight = null, timer = null, stopped = !enabled, failures = 0;
  var storeKey = "portal-unsent:" + window.location.pathname;
  // Its words, in the page's language (assessments/views/draft.py, AUTOSAVE_TEXT).
  var T = JSON.parse(document.getElementById("autosave-text").textContent);
  var base = null;  // {field name: value} as the page showed it at load, or after the last save
  var refused = {};  // {field name: true} of the fields whose input the server refused and keeps as unsaved

  // The status line shows every step; the live region beside it speaks only when the state changes (unsaved,
  // saving, saved, failed, refused), never per keystroke, and "saving" only when it takes more than a second.
  var announcer = document.getElementById("autosave-announce");
  var announced = "", savingTimer = null;
  function announce(state, text) {
    clearTimeout(savingTimer);
    if (!announcer || state === announced) return;
    if (state === "saving") {
      savingTimer = setTimeout(function () { announced = state; announcer.textContent = text; }, 1000);
      return;
    }
    announced = state;
    announcer.textContent = text;
  }
  function say(text, state) {
    if (status && status.textContent !== text) status.textContent = text;
    if (state) announce(state, text);
  }

  // Local copy -----------------------------------------------------------------------------------------------------
  function entries() {
    var found = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "_revision") found[name] = value;
    });
    return found;
  }
  function keepLocally() {
    try { localStorage.setItem(storeKey, JSON.stringify({at: Date.now(), values: entries()})); } catch (e) { /* full */ }
  }
  function forgetLocally() { try { localStorage.removeItem(storeKey); } catch (e) { /* unavailable */ } }
  function offerLocalCopy() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
    if (!saved || !enabled) return;
    var now = entries(), differs = Object.keys(saved.values).some(function (name) {
      return name in now && now[name] !== saved.values[name];
    });
    if (!differs) { forgetLocally(); return; }
    var box = document.createElement("div");
    box.className = "alert alert-warning";
    box.setAttribute("role", "alert");
    box.textContent = T.local.replace("{time}", new Date(saved.at).toLocaleTimeString()) + " ";
    var restore = document.createElement("button");
    restore.type = "button"; restore.className = "btn btn-sm btn-warning me-2";
    restore.textContent = T.restore;
    restore.addEventListener("click", function () {
      Object.keys(saved.values).forEach(function (name) {
        var field = form.elements[name];
        if (field && field.type !== "hidden") { field.value = saved.values[name]; }
      });
      box.remove(); dirty = true; say(T.restored, "unsaved"); schedule(500);
    });
    var drop = document.createElement("button");
    drop.type = "button"; drop.className = "btn btn-sm btn-outline-dark";
    drop.textContent = T.discard;
    drop.addEventListener("click", function () { forgetLocally(); box.remove(); });
    box.appendChild(restore); box.appendChild(drop);
    form.insertAdjacentElement("beforebegin", box);
  }

  // Errors beside the fields ---------------------------------------------------------------------------------------
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

  // Saving ---------------------------------------------------------------------------------------------------------
  // When the server answers slowly (the evening of a deadline), the page waits longer between saves: twice the
  // last answer's time, up to 30 s. What is typed meanwhile goes with the next save; nothing is dropped.
  var lastAnswerMs = 0;
  function schedule(delay) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(save, Math.max(delay, Math.min(30000, 2 * lastAnswerMs)));
  }

  function stop(message, box) {
    stopped = true; dirty = true;  // refused: still unsent, and leaving still warns
    say(message, box ? null : "failed");  // a box speaks for itself (role=alert): said once, not twice
    if (box) showBox(message, box);
  }

  // What a save sends: only the fields that differ from what the page last had from the server, each with that
  // value ("base:" + its name: the merge's base) and its row's item key, and the revision the page last had. The
  // server merges them field by field, checks the rows they change, and answers with colleagues' news.
  function changes(now) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("_revision", form.elements._revision.value);
    Object.keys(now).forEach(function (name) {
      if (name in base && now[name] === base[name] && !refused[name]) return;
      data.append(name, now[name]);
      if (name in base) data.append("base:" + name, base[name]);
      var row = name.match(/^(.+-\d+)-[^-]+$/);
      if (row) {
        ["-item", "-id"].forEach(function (suffix) {
          var marker = form.elements[row[1] + suffix];
          if (marker && !data.has(row[1] + suffix)) data.append(row[1] + suffix, marker.value);
        });
      }
    });
    return data;
  }

  // Stable key ("suppliers.Nokia.share_core") -> the name of the field on this page ("suppliers-2-share_core").
  function fieldFor(key) {
    var parts = key.split(".");
    if (parts.length === 2) return form.elements[parts[0] + "-" + parts[1]];
    var name = parts.pop(), prefix = parts.shift(), item = parts.join(".");
    var marker = form.querySelector("input[name^='" + prefix + "-'][name$='-item'][value='" + CSS.escape(item) + "']");
    return marker ? form.elements[marker.name.replace(/-item$/, "-" + name)] : null;
  }

  // A count in the page's language: the form its plural rule picks ("one", "other"), the count put in.
  function counted(forms, n) {
    var form = new Intl.PluralRules(document.documentElement.lang || "en").select(n);
    return (forms[form] || forms.other).replace("{n}", n);
  }

  // The page's names of the fields the server refused ({name: true}), from their stable keys.
  function refusedNames(keys) {
    var found = {};
    (keys || []).forEach(function (key) {
      var field = fieldFor(key);
      if (field && field.name) found[field.name] = true;
    });
    return found;
  }

  function takeNews(current, sent) {
    var shown = 0, hidden = 0;
    Object.keys(current || {}).forEach(function (key) {
      var field = fieldFor(key);
      if (!field || !field.name) { hidden += 1; return; }
      if (field.value === sent[field.name]) {  // untouched since it was sent: show the colleague's value
        field.value = current[key]; base[field.name] = current[key]; shown += 1;
        field.classList.add("merged-in");
      }
    });
    if (shown) return " " + counted(T.merged, shown);
    if (hidden) return " " + T.hidden;
    return "";
  }

  // A field changed and saved is no longer last cycle's answer: the server settled its mark; the page drops it
  // from its question's "carried over, not yet confirmed" note, and the note once nothing is left in it.
  function settleCarried(names) {
    names.forEach(function (name) {
      var mark = document.querySelector(".carried-field[data-field='" + CSS.escape(name) + "']");
      if (!mark) return;
      var note = mark.closest(".carried-notice");
      mark.remove();
      if (note && !note.querySelector(".carried-field")) note.remove();
    });
  }

  function save() {
    if (stopped || !dirty) return Promise.resolve();
    if (inflight) { schedule(400); return inflight; }  // one at a time: try again when this one has answered
    dirty = false;
    say(T.saving, "saving");
    var sent = entries(), started = Date.now();
    inflight = fetch(form.action || window.location.href, {
      method: "POST", body: changes(sent), credentials: "same-origin",
      headers: {"X-Autosave": "1", "X-Requested-With": "fetch"}
    }).then(function (response) {
      document.dispatchEvent(new CustomEvent("portal:server-contact"));
      lastAnswerMs = Date.now() - started;
      if (response.status === 403 || response.status === 404) {
        stop(T.gone);
        return;
      }
      if (!response.ok && response.status !== 409 && response.status !== 423) throw new Error(response.status);
      return response.json().then(function (body) {
        failures = 0;
        clearErrors();
        if (body.status === "saved" || body.status === "partial") {
          // Partial: saved but for the refused fields, which keep their old base and go with the next save.
          refused = refusedNames(body.refused);
          var accepted = Object.keys(sent).filter(function (name) { return !refused[name]; });
          settleCarried(accepted.filter(function (name) { return name in base && sent[name] !== base[name]; }));
          form.elements._revision.value = body.revision;
          accepted.forEach(function (name) { base[name] = sent[name]; });
          var news = takeNews(body.current, sent);
          form.dispatchEvent(new CustomEvent("portal:values"));  // values may have come in: totals follow
          if (body.status === "partial") {
            dirty = true;  // still not all saved: leaving the page warns
            showErrors(body.errors);
            say(body.message + news, "refused");
          } else {
            if (!dirty) forgetLocally();
            say(body.message + news, "saved");
          }
        } else if (body.status === "invalid") {
          dirty = true;
          refused = refusedNames(body.refused);
          showErrors(body.errors);
          say(body.message, "refused");
        } else if (body.status === "conflict") {
          stop(body.message, "conflict");
        } else if (body.status === "locked") {
          stop(body.message, "locked");
        }
      });
    }).catch(function () {
      dirty = true; failures += 1;
      keepLocally();
      var wait = Math.min(60000, 5000 * failures);
      say(T.offline.replace("{n}", Math.round(wait / 1000)), "failed");
      schedule(wait);
    }).finally(function () { inflight = null; });
    return inflight;
  }

  function showBox(message, kind) {
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    box.textContent = message + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-danger";
    button.textContent = kind === "conflict" ? T.showConflict : T.showUnsaved;
    button.addEventListener("click", function () { dirty = false; window.location.reload(); });
    box.appendChild(button);
    form.insertAdjacentElement("beforebegin", box);
  }

  var localTimer = null;
  form.addEventListener("input", function () {
    dirty = true;
    say(T.unsaved, "unsaved");
    clearTimeout(localTimer);
    localTimer = setTimeout(keepLocally, 500);
    schedule(3000);
  });
  form.addEventListener("change", function () { dirty = true; schedule(800); });
  form.addEventListener("focusout", function () { if (dirty) schedule(0); });

  function appendBase() {
    form.querySelectorAll("input[data-base]").forEach(function (el) { el.remove(); });
    Object.keys(base).forEach(function (name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "base:" + name; hidden.value = base[name];
      hidden.setAttribute("data-base", "1");
      form.appendChild(hidden);
    });
  }

  // Save (and Save and continue): wait for an autosave under way, then send with the base it left.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (inflight) {
      event.preventDefault();
      var button = event.submitter;
      inflight.then(function () {
        dirty = false; stopped = true;
        if (button && button.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value || "1";
          form.appendChild(hidden);
        }
        appendBase();
        form.submit();
      });
      return;
    }
    appendBase();
    dirty = false; stopped = true;
  });

  // Other forms on the page (add or remove a supplier) wait for pending input to be saved first.
  document.querySelectorAll("form").forEach(function (other) {
    if (other === form) return;
    other.addEventListener("submit", function (event) {
      if (stopped || (!dirty && !inflight)) return;
      event.preventDefault();
      clearTimeout(timer);
      Promise.resolve(inflight).then(save).then(function () { if (!dirty) other.submit(); });
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty || inflight) { event.preventDefault(); event.returnValue = ""; }
  });
  // Signed out for inactivity (static/js/session.js): what is not yet saved stays on this device, offered back.
  document.addEventListener("portal:signing-out", function () { if (dirty || inflight) keepLocally(); });
  // A page showing unsaved input that was refused: it is not saved, and leaving without saving warns.
  if (form.dataset.unsaved === "1" && enabled) { dirty = true; }
  // What the page showed, from the server: never read back from the fields, which a quick user may have typed in
  // before this script ran (and for refused input, the fields show the input, not its base).
  base = JSON.parse(document.getElementById("section-base").textContent);
  // The refused input the page shows again: the fields where it differs from its base, sent with every save.
  if (form.dataset.unsaved === "1" && enabled) {
    var shown = entries();
    Object.keys(shown).forEach(function (name) {
      if (name in base && shown[name] !== base[name]) refused[name] = true;
    });
  }
  // Typed before this script ran: unsent, so save it and warn on leaving, as if typed now.
  if (enabled && !dirty) {
    var now = entries();
    if (Object.keys(now).some(function (name) { return name in base && now[name] !== base[name]; })) {
      dirty = true; say(T.unsaved, "unsaved"); schedule(500);
    }
  }

  // Decimal fields: the number the portal will read, by the server's own rule (assessments/numbers.py: its pattern
  // comes with the page's words; a fraction of three digits could be a thousands separator, and is refused).
  var NUMBER = new RegExp(T.numberPattern);
  var parseNumber = function (typed) {
    var found = NUMBER.exec(typed.trim().replace(" %", "%"));
    if (!found) { return {error: T.notNumber}; }
    var fraction = found.groups.fraction;
    if (fraction && fraction.length === 3) { return {error: T.ambiguous}; }
    return {value: parseFloat(found.groups.whole + (fraction ? "." + fraction : ""))};
  };
  // A number as the page's language writes it, as the server writes it after a reload: "32,5" in German.
  var local = function (number) {
    return (Math.round(number * 100) / 100).toLocaleString(document.documentElement.lang || undefined,
                                                           {maximumFractionDigits: 2, useGrouping: false});
  };
  form.querySelectorAll("input[data-decimal]").forEach(function (input) {
    var hint = document.createElement("div");
    hint.className = "form-text decimal-reading";
    hint.id = input.id + "-reading";
    hint.setAttribute("aria-live", "off");
    input.insertAdjacentElement("afterend", hint);
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + hint.id).trim());
    var read = function () {
      if (!input.value.trim()) { hint.textContent = ""; return; }
      var parsed = parseNumber(input.value);
      hint.textContent = parsed.error || T.readAs.replace("{number}", local(parsed.value));
    };
    input.addEventListener("input", read);
    read();
  });

  // Suppliers: the share of each segment the listed suppliers describe, and the "other or unknown" rest.
  var shares = document.getElementById("segment-shares");
  if (shares) {
    var recount = function () {
      shares.querySelectorAll("tr[data-segment]").forEach(function (row) {
        var total = null;
        form.querySelectorAll("input[name$='-" + row.dataset.segment + "']").forEach(function (input) {
          var parsed = input.value.trim() ? parseNumber(input.value) : {error: "empty"};
          if (!parsed.error) { total = (total || 0) + parsed.value; }
        });
        row.querySelector(".listed").textContent = total === null ? "—" : local(total);
        row.querySelector(".remainder").textContent = total === null ? T.notReported : local(Math.max(0, 100 - total));
      });
    };
    ["input", "change", "portal:values"].forEach(function (kind) { form.addEventListener(kind, recount); });
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

  offerLocalCopy();
})();
