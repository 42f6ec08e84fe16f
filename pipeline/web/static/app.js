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
  const left = section.querySelector("#time-left");
  const rows = new Map();
  const source = new EventSource(section.dataset.events);
  table.hidden = false;
  source.addEventListener("node", (message) => {
    const event = JSON.parse(message.data);
    let row = rows.get(event.node);
    if (!row) {
      row = element("tr");
      row.dataset.node = event.node;
      row.title = event.node;
      rows.set(event.node, row);
      body.append(row);
    }
    const finished = event.status !== "started";
    row.dataset.status = event.status;
    const said = {started: "under way…", done: "done", failed: "failed"}[event.status] || event.status;
    row.replaceChildren(
      element("td", event.step || event.node),
      element("td", said, event.status),
      element("td", finished ? `${event.took.toFixed(1)} s` : ""),
    );
    if (left && event.left) left.textContent = event.left;
  });
  source.addEventListener("log", (message) => { status.textContent = JSON.parse(message.data).line; });
  source.addEventListener("end", (message) => {
    const event = JSON.parse(message.data);
    source.close();
    section.dataset.finished = event.status;
    if (event.status === "idle") { table.hidden = true; return; }
    if (left) {
      left.textContent = event.status === "done"
        ? `Done in ${Math.round(event.seconds)} s.` : `The run ${event.status === "failed" ? "failed" : "was cancelled"}: ${event.error}`;
    }
    if (section.dataset.running === "1") setTimeout(() => window.location.reload(), 300);
  });
}

function turnElement(who, said, className) {
  const node = element("p", undefined, `turn ${className}`);
  node.append(element("strong", who, "who"), element("span", said, "said"));
  return node;
}

async function answerOf(response) {
  // Any answer becomes {error} or a turn: an error page that is not JSON is said in words.
  try {
    return await response.json();
  } catch (error) {
    return {error: `The app could not answer (HTTP ${response.status} ${response.statusText}). Try again, or reload the page.`};
  }
}

function setUpRehearsal(form) {
  const chat = document.getElementById("chat");
  const text = document.getElementById("turn-text");
  const send = document.getElementById("send-turn");
  const token = document.querySelector("meta[name=csrf-token]").content;
  let threadId = chat.dataset.thread || "";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const said = text.value.trim();
    if (!said || send.disabled) return;
    send.disabled = true;
    form.setAttribute("aria-busy", "true");
    chat.append(turnElement("You", said, "user"));
    text.value = "";
    let reply;
    try {
      const response = await fetch(chat.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
        body: JSON.stringify({thread_id: threadId, text: said}),
      });
      reply = await answerOf(response);
    } catch (error) {
      reply = {error: "The app did not answer: check that negoprep serve is still running, then try again."};
    } finally {
      send.disabled = false;
      form.removeAttribute("aria-busy");
    }
    if (reply.thread_id !== undefined) threadId = reply.thread_id;
    chat.dataset.thread = threadId;
    if (reply.error) {
      chat.append(element("p", reply.error, "turn error"));
      return;
    }
    chat.append(turnElement(reply.speaker || "Counterpart", reply.counterpart, "counterpart"),
                turnElement("Coach", reply.coach, "coach"));
    if (reply.review_url) {
      const link = element("a", "Read the review of this rehearsal");
      link.href = reply.review_url;
      link.id = "review-link";
      const note = element("p", undefined, "turn review");
      note.append(link);
      chat.append(note);
      threadId = "";
      chat.dataset.thread = "";
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-dropzone]").forEach(setUpDropzone);
  const prepare = document.getElementById("prepare");
  if (prepare && prepare.dataset.hasEvents === "1") followPreparation(prepare);
  const turn = document.getElementById("turn-form");
  if (turn) setUpRehearsal(turn);
});
