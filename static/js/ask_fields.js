// The reviewer's "Ask about a question" form (templates/assessments/version.html): the Field list offers only
// the fields of the chosen question. Without this script the list shows every part's fields, grouped, and the
// server refuses a field the question does not have (assessments/forms/workflow.py AskForm).
//
// The question list says which part each question belongs to (data-parts: {question: part}); the field list
// holds each part's fields (data-fields: {part: [[name, label]]}).
(function () {
  "use strict";
  var question = document.querySelector("select[name=question][data-parts]");
  var field = document.querySelector("select[name=field][data-fields]");
  if (!question || !field) return;
  var parts = JSON.parse(question.dataset.parts);
  var fields = JSON.parse(field.dataset.fields);

  function option(value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  }

  function offer() {
    var chosen = field.value;
    var wanted = fields[parts[question.value]] || [];
    field.replaceChildren(option("", field.dataset.whole));
    wanted.forEach(function (pair) { field.appendChild(option(pair[0], pair[1])); });
    // Keep the field chosen if the new question has it too (a note, a justification).
    field.value = wanted.some(function (pair) { return pair[0] === chosen; }) ? chosen : "";
  }

  question.addEventListener("change", offer);
  offer();
})();
