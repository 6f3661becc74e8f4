// live.js keeps a running run's page current. It listens to the run's
// server-sent events (the server reads the store; the browser never
// polls), redraws the statuses of the DAG's nodes, the step sections and
// the run's badge, and swaps in a step's section from the server when the
// step's status changes, so its log, metrics and artifacts appear as soon
// as the store has them. A running step's output so far, which the run
// saves while the step runs, comes with each state and replaces the text
// of its log. Pages without data-live do nothing here.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var run = document.getElementById("run");
  var src = run && run.dataset.live;
  if (!src || !window.EventSource) return;

  function setStatus(el, status) {
    if (!el) return;
    var cls = el.getAttribute("class") || "";
    el.setAttribute("class", cls.replace(/\bstatus-[a-z]+\b/, "status-" + status));
    el.dataset.status = status;
  }

  function refreshStep(step) {
    var url = "/runs/" + encodeURIComponent(run.dataset.run) + "/steps/" + encodeURIComponent(step);
    fetch(url, { credentials: "same-origin" }).then(function (resp) {
      if (!resp.ok) return null;
      return resp.text();
    }).then(function (html) {
      if (html === null) return;
      var old = document.getElementById("step-" + step);
      if (!old) return;
      var tpl = document.createElement("template");
      tpl.innerHTML = html.trim();
      var fresh = tpl.content.firstElementChild;
      if (fresh) old.replaceWith(fresh);
    });
  }

  // showLiveLog puts a running step's output so far in its section; the
  // section swapped in when the step ends brings its final log.
  function showLiveLog(s) {
    var sec = document.getElementById("step-" + s.step);
    var pre = sec && sec.querySelector("pre.log");
    if (!pre) return;
    var follow = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.textContent = s.log;
    if (follow) pre.scrollTop = pre.scrollHeight;
    var note = sec.querySelector(".log-left-out");
    if (note) {
      note.hidden = !s.left_out;
      var size = note.querySelector(".left-out");
      if (size) size.textContent = s.left_out || "";
    }
  }

  var shown = {};
  document.querySelectorAll("#steps .step").forEach(function (el) {
    shown[el.dataset.step] = el.dataset.status;
  });

  var es = new EventSource(src);
  es.addEventListener("state", function (ev) {
    var st = JSON.parse(ev.data);
    var badge = document.getElementById("run-status");
    setStatus(badge, st.status);
    if (badge) badge.textContent = st.status;
    var dur = document.getElementById("run-duration");
    if (dur) dur.textContent = st.duration;
    st.steps.forEach(function (s) {
      var node = document.getElementById("node-" + s.step);
      setStatus(node, s.status);
      if (node) {
        var title = node.querySelector("title");
        if (title) title.textContent = s.step + ": " + s.status;
      }
      if (shown[s.step] !== s.status) {
        shown[s.step] = s.status;
        var sec = document.getElementById("step-" + s.step);
        setStatus(sec, s.status);
        if (sec) {
          var badge2 = sec.querySelector(".step-status");
          setStatus(badge2, s.status);
          if (badge2) badge2.textContent = s.status;
        }
        refreshStep(s.step);
      } else if (s.status === "running" && s.log !== undefined) {
        showLiveLog(s);
      }
    });
  });
  es.addEventListener("end", function () {
    es.close();
    // Steps the run never reached read "not run" now, as on a reload.
    Object.keys(shown).forEach(function (step) {
      if (shown[step] === "pending") refreshStep(step);
    });
    run.removeAttribute("data-live");
    var note = document.getElementById("live-note");
    if (note) note.textContent = "The run has ended.";
  });
});

// A step's "Why it ran" is read from the server when it is opened: it
// compares the step's cache key with its previous run's, which costs too
// much to do for every step of every view.
document.addEventListener("toggle", function (ev) {
  var d = ev.target;
  if (!d.matches || !d.matches("details.explain") || !d.open || d.dataset.loaded) return;
  d.dataset.loaded = "1";
  fetch(d.dataset.explain, { credentials: "same-origin" }).then(function (resp) {
    return resp.text();
  }).then(function (text) {
    var p = d.querySelector(".decision");
    if (p) p.textContent = text.trim();
  });
}, true);
