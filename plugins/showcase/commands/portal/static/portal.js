// The portal's additions to the editor's form: the CSRF token on every write the form's
// script makes, the district's comments beside their fields, and a read-only form when the
// project may not be changed (the server refuses such saves anyway).
"use strict";
(() => {
  const token = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const plainFetch = window.fetch.bind(window);
  window.fetch = (url, options = {}) => {
    const method = (options.method || "GET").toUpperCase();
    if (token && method !== "GET" && method !== "HEAD") {
      const headers = new Headers(options.headers || {});
      headers.set("X-CSRF-Token", token);
      options = {...options, headers};
    }
    return plainFetch(url, options);
  };
  document.addEventListener("DOMContentLoaded", () => {
    const review = document.getElementById("review");
    if (!review) return;
    for (const c of document.querySelectorAll(".comment-list .review-comment")) {
      const field = document.getElementById(`f-${c.dataset.field}`);
      if (!field) continue;
      const copy = c.cloneNode(true);
      copy.querySelector("form")?.remove();
      copy.setAttribute("role", "note");
      const label = field.querySelector(".label");
      (label || field.firstChild).after(copy);
      field.classList.add("has-comment");
    }
    if (!review.dataset.writable) {
      document.body.classList.add("readonly");
      const form = document.getElementById("form");
      if (form) for (const el of form.querySelectorAll("input, textarea, select, button")) el.disabled = true;
    }
  });
})();
