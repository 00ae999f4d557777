// Kofu's page behaviour, kept out of the HTML so the Content-Security-Policy allows no inline script.

// A select marked data-submit-on-change submits its form when changed (the language switch).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.requestSubmit();
  }
});

// A form that changes something is sent once. After its submit event (unless another handler
// cancelled it), the form is marked busy and its buttons are disabled, so a second click or a
// second Enter while the server works sends nothing. The buttons are disabled on the next tick:
// disabled at once, the pressed button's own name and value would be left out of the request.
// A form marked data-resubmit (one that answers with a download, say) is left alone.
document.addEventListener("submit", (event) => {
  const form = event.target;
  // the button pressed may send the form another way (a preview opened by GET in a new tab)
  const method = event.submitter?.getAttribute("formmethod") || form.method;
  if (!(form instanceof HTMLFormElement) || method.toLowerCase() !== "post") return;
  if (form.hasAttribute("data-resubmit")) return;
  if (form.dataset.submitted === "true") {
    event.preventDefault();
    return;
  }
  if (event.defaultPrevented) return;
  form.dataset.submitted = "true";
  form.setAttribute("aria-busy", "true");
  setTimeout(() => {
    for (const button of form.querySelectorAll("button, input[type=submit]")) {
      if (button.type === "submit") button.disabled = true;
    }
  }, 0);
});

// Back to a page from the browser's history: its forms can be sent again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll("form[data-submitted]")) {
    delete form.dataset.submitted;
    form.removeAttribute("aria-busy");
    for (const button of form.querySelectorAll("button, input[type=submit]")) {
      if (button.type === "submit") button.disabled = false;
    }
  }
});

// Pages that came back with errors: the summary at the top takes the focus, so a screen reader
// reads it first and the keyboard starts there.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});

// On a narrow screen the main menu folds behind a button; without JavaScript it stays open.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".k-menu-button");
  const nav = document.getElementById("k-nav");
  if (!button || !nav) return;
  button.hidden = false;
  nav.setAttribute("data-collapsed", "");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    nav.toggleAttribute("data-collapsed", open);
  });
});

// A table wider than a phone scrolls inside itself (kofu.css); the keyboard must reach it to
// scroll it, so a table (or a box holding one) that overflows is made focusable, and one that
// fits is left alone.
function kofuScrollableTables() {
  for (const table of document.querySelectorAll("table, .scroll, .k-table-wrap")) {
    const overflows = table.scrollWidth > table.clientWidth + 1;
    if (overflows && !table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
      table.dataset.scrollable = "";
    } else if (!overflows && table.hasAttribute("data-scrollable")) {
      table.removeAttribute("tabindex");
      delete table.dataset.scrollable;
    }
  }
}
document.addEventListener("DOMContentLoaded", kofuScrollableTables);
document.addEventListener("htmx:afterSettle", kofuScrollableTables);
let kofuResizing = false;
window.addEventListener("resize", () => {
  if (kofuResizing) return;
  kofuResizing = true;
  requestAnimationFrame(() => {
    kofuResizing = false;
    kofuScrollableTables();
  });
});

// A form marked data-warn-unsaved holds what someone typed: leaving the page before sending it
// asks first. Typing marks the form changed; sending it (or the page coming back from the
// browser's history) clears the mark.
const unsaved = new Set();
document.addEventListener("input", (event) => {
  const form = event.target.form;
  if (form instanceof HTMLFormElement && form.hasAttribute("data-warn-unsaved")) unsaved.add(form);
});
document.addEventListener("submit", (event) => {
  // a preview opened in another tab leaves this page, and what is typed in it, where it is
  if (event.submitter?.getAttribute("formtarget") === "_blank") return;
  if (event.target instanceof HTMLFormElement) unsaved.clear();
});
window.addEventListener("beforeunload", (event) => {
  if (unsaved.size === 0) return;
  event.preventDefault();
  event.returnValue = "";
});
window.addEventListener("pageshow", () => unsaved.clear());

// The bank account form: once the bank code names a bank, its branches fill the branch list
// and the chosen bank and branch are named. Without JavaScript the "look up" button does the
// same on the server.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-branches-url]")) {
    const bank = form.querySelector("[data-bank-code]");
    const branch = form.querySelector("[data-branch-code]");
    const chosen = form.querySelector("[data-bank-chosen]");
    const list = document.getElementById(branch?.getAttribute("list") || "");
    if (!bank || !branch || !chosen || !list) continue;
    let names = { bank: "", branches: new Map() };
    const show = () => {
      if (!names.bank) {
        chosen.textContent = "";
        return;
      }
      const code = branch.value.trim().padStart(3, "0");
      const branchName = names.branches.get(code) || "";
      chosen.textContent = `${chosen.dataset.bankLabel || ""}: ${names.bank}${
        branchName ? ` / ${chosen.dataset.branchLabel || ""}: ${branchName}` : ""
      }`;
    };
    const load = async () => {
      const code = bank.value.trim();
      if (!/^\d{1,4}$/.test(code)) {
        names = { bank: "", branches: new Map() };
        list.replaceChildren();
        show();
        return;
      }
      const response = await fetch(`${form.dataset.branchesUrl}?bank=${encodeURIComponent(code)}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      const data = await response.json();
      names = { bank: data.bank, branches: new Map(data.branches) };
      list.replaceChildren(
        ...data.branches.map(([value, name]) => {
          const option = document.createElement("option");
          option.value = value;
          option.textContent = name;
          return option;
        }),
      );
      show();
    };
    bank.addEventListener("change", load);
    branch.addEventListener("input", show);
    if (bank.value.trim()) load();
  }
});

// A count that follows ticks: an element with data-counts="<name>" shows, in its [data-count],
// how many boxes of that name its form's page has ticked (the chair's selection against the
// committee's places).
document.addEventListener("DOMContentLoaded", () => {
  for (const counter of document.querySelectorAll("[data-counts]")) {
    const name = counter.dataset.counts;
    const shown = counter.querySelector("[data-count]");
    const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${CSS.escape(name)}"]`);
    const update = () => {
      shown.textContent = String([...boxes()].filter((box) => box.checked).length);
    };
    for (const box of boxes()) box.addEventListener("change", update);
    update();
  }
});
