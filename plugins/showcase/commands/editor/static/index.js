// The project list: "新建项目" makes the folder, then opens its form.
"use strict";
document.getElementById("new-project").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("new-error");
  const folder = document.getElementById("new-folder").value.trim();
  const response = await fetch("/api/new", {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({folder}),
  });
  const data = await response.json();
  if (response.ok) { location.href = data.url; return; }
  error.textContent = data.error || "新建失败";
  error.hidden = false;
});
