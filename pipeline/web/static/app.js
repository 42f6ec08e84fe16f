// negoprep web app: drag-and-drop uploads, live preparation progress (server-sent events), rehearsal chat.
// No inline script, no third-party code: the page's Content-Security-Policy allows this file only.
"use strict";

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function setUpDropzone(zone) {
  const input = zone.querySelector("input[type=file]");
  const list = zone.querySelector("[data-chosen]");
  const accepted = input.accept.split(",");
  const show = () => {
    list.replaceChildren(...Array.from(input.files).map((file) => {
      const known = accepted.some((ext) => file.name.toLowerCase().endsWith(ext));
      return element("li", known ? file.name : `${file.name}: not a supported type`, known ? "" : "error");
    }));
  };
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    input.files = event.dataTransfer.files;
    show();
  });
  input.addEventListener("change", show);
}

function followPreparation(section) {
  const table = section.querySelector("table.progress");
  const body = section.querySelector("#progress");
  const status = section.querySelector("#run-status");
  const rows = new Map();
  const source = new EventSource(section.dataset.events);
  table.hidden = false;
  source.addEventListener("node", (message) => {
    const event = JSON.parse(message.data);
    let row = rows.get(event.node);
    if (!row) {
      row = element("tr");
      row.dataset.node = event.node;
      rows.set(event.node, row);
      body.append(row);
    }
    const finished = event.status !== "started";
    row.dataset.status = event.status;
    row.replaceChildren(
      element("td", event.node),
      element("td", finished ? event.status : "running…", event.status),
      element("td", finished ? row.dataset.startedAt || "" : `${event.elapsed.toFixed(1)} s`),
      element("td", finished ? `${event.took.toFixed(1)} s` : ""),
      element("td", finished ? String(event.tokens) : ""),
    );
    if (!finished) row.dataset.startedAt = `${event.elapsed.toFixed(1)} s`;
  });
  source.addEventListener("log", (message) => { status.textContent = JSON.parse(message.data).line; });
  source.addEventListener("end", (message) => {
    const event = JSON.parse(message.data);
    source.close();
    section.dataset.finished = event.status;
    if (event.status === "idle") { table.hidden = true; return; }
    status.textContent = event.status === "done"
      ? `Done in ${event.seconds} s.` : `Run ${event.status}: ${event.error}`;
    if (section.dataset.running === "1") setTimeout(() => window.location.reload(), 300);
  });
}

function setUpRehearsal(form) {
  const chat = document.getElementById("chat");
  const text = document.getElementById("turn-text");
  const token = document.querySelector("meta[name=csrf-token]").content;
  let threadId = "";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const said = text.value.trim();
    if (!said) return;
    chat.append(element("p", said, "turn user"));
    text.value = "";
    let reply;
    try {
      const response = await fetch(chat.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
        body: JSON.stringify({thread_id: threadId, text: said}),
      });
      reply = await response.json();
    } catch (error) {
      reply = {error: `no answer from the app (${error})`};
    }
    if (reply.error) {
      chat.append(element("p", reply.error, "turn error"));
      return;
    }
    threadId = reply.thread_id;
    chat.append(element("p", reply.counterpart, "turn counterpart"), element("p", reply.coach, "turn coach"));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-dropzone]").forEach(setUpDropzone);
  const prepare = document.getElementById("prepare");
  if (prepare && prepare.dataset.hasEvents === "1") followPreparation(prepare);
  const turn = document.getElementById("turn-form");
  if (turn) setUpRehearsal(turn);
});
