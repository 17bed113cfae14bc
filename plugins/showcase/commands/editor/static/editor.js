// The project form: collects the inputs into the folder's JSON state, counts the brief like
// Word (the pattern comes from the server's textutil), shows the checker's findings beside
// their fields, uploads files to the editor's staging area and saves.
"use strict";
(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  let form = $("#form");
  const folder = form.dataset.folder;
  const base = () => `/p/${encodeURIComponent(folder)}`;
  let state = JSON.parse($("#state").textContent);
  const counter = JSON.parse($("#counter").textContent);
  const tokenRe = new RegExp(counter.pattern, "gu");
  const spaceRe = new RegExp(counter.space, "u");
  let logoUpload = state.logo.upload || null;
  let dirty = false;

  // --- Word's 字数, exactly as textutil.word_count ---
  function wordCount(text) {
    let n = 0;
    for (const m of (text || "").matchAll(tokenRe)) if (!spaceRe.test(m[0])) n += 1;
    return n;
  }
  window.showcaseWordCount = wordCount;

  function updateCount() {
    const input = form.elements.namedItem("summary");
    const box = $('[data-count-for="summary"]');
    if (!input || !box) return;
    const n = wordCount(input.value);
    $("[data-count]", box).textContent = n;
    box.classList.toggle("over", n > counter.limit);
  }

  // --- collecting the form ---
  const val = (root, k) => { const el = $(`[data-k="${k}"]`, root); return el ? el.value : ""; };
  const fileOf = (li) => ({
    file: li.dataset.file || null, deleted: !!li.dataset.deleted,
    upload: li.dataset.upload ? {id: li.dataset.upload, name: li.dataset.name} : null,
    rotate: Number(li.dataset.rotate || 0),
  });

  function collect() {
    const out = JSON.parse(JSON.stringify(state));
    for (const block of $$(".field[data-field]")) {
      const key = block.dataset.field;
      if (key === "indicators") {
        const groups = {};
        for (const g of $$(".ind-group", block)) {
          groups[g.dataset.kind] = $$("[data-row]", g).map((row) => ({
            text: val(row, "text"), target: val(row, "target"), unit: val(row, "unit"),
            actual: $$("[data-pair]", row).map((p) => ({year: val(p, "year"), value: val(p, "value")})),
          }));
        }
        out.fields.indicators = groups;
      } else if (key === "opinion") {
        out.fields.opinion = {
          text: form.elements.namedItem("opinion.text").value,
          signed_by: form.elements.namedItem("opinion.signed_by").value,
          date: form.elements.namedItem("opinion.date").value,
        };
      } else if (key !== "logo") {
        const input = form.elements.namedItem(key);
        if (input) out.fields[key] = input.value;
      }
    }
    out.logo = {file: state.logo.file, upload: logoUpload};
    out.albums = $$('[data-part="album"]', form).map((el) => ({
      folder: el.dataset.folder || null, locked: !!el.dataset.locked, deleted: !!el.dataset.deleted,
      title: val(el, "title"), date: val(el, "date"), description: val(el, "description"),
      photos: $$("[data-photo]", el).map((li) => ({
        ...fileOf(li), caption: val(li, "caption"),
      })),
    }));
    out.cases = $$('[data-part="case"]', form).map((el) => ({
      file: el.dataset.file || null, locked: !!el.dataset.locked, deleted: !!el.dataset.deleted,
      title: val(el, "title"), date: val(el, "date"), authors: val(el, "authors"), tags: val(el, "tags"),
      summary: val(el, "summary"), body: val(el, "body"),
      appendix: $$("[data-appendix-item]", el).map((item) => ({
        title: val(item, "title"), type: val(item, "type"), description: val(item, "description"),
        auto_type: $('[data-k="type"]', item).placeholder, deleted: !!item.dataset.deleted,
        files: $$("[data-appendix]", item).map((li) => ({
          ...fileOf(li), name: $(".name", li).textContent, size: li.dataset.size, image: !!li.dataset.image,
          caption: val(li, "caption"),
        })),
      })),
    }));
    out.plans = $$('[data-part="plan"]', form).map((el) => {
      const schedule = {};
      for (const t of $$("[data-month]", el)) if (t.value.trim()) schedule[t.dataset.month] = t.value;
      return {
        file: el.dataset.file || null, locked: !!el.dataset.locked, deleted: !!el.dataset.deleted,
        title: val(el, "title"), year: val(el, "year"), body: val(el, "body"), schedule,
        date: val(el, "date"), issuer: val(el, "issuer"), scope: val(el, "scope"),
        timed: $$("[data-timed-row]", el).map((row) => ({when: val(row, "when"), items: val(row, "items")})),
      };
    });
    return out;
  }

  // --- findings beside their fields ---
  function showFindings(findings, scope) {
    // scope "fields": the live check knows project.yml, long texts and logo only
    const boxes = $$(".findings[data-target]").filter((b) => scope !== "fields" || b.dataset.target.startsWith("field:") || b.dataset.target === "general");
    for (const box of boxes) box.replaceChildren();
    for (const el of $$(".field.has-finding")) el.classList.remove("has-finding", "has-error");
    for (const f of findings) {
      let box = $$(".findings[data-target]").find((b) => b.dataset.target === f.target);
      if (!box || (scope === "fields" && !boxes.includes(box))) {
        if (scope === "fields" && !f.target.startsWith("field:") && f.target !== "general") continue;
        box = $('.findings[data-target="general"]');
      }
      const p = document.createElement("p");
      p.className = `finding ${f.level}`;
      const tag = document.createElement("b");
      tag.textContent = f.level_zh;
      p.append(tag, " ", f.message + (f.hint ? `（${f.hint}）` : ""));
      if (box.dataset.target === "general" && f.place) {
        const where = document.createElement("small");
        where.textContent = ` （${f.place}）`;
        p.append(where);
      }
      box.append(p);
      const field = box.closest(".field");
      if (field) field.classList.add("has-finding", ...(f.level === "error" ? ["has-error"] : []));
    }
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {error: "服务器没有回应，请确认 showcase edit 还在运行"}; }
    return [response, data];
  }

  let checkTimer = null;
  let checkSeq = 0;
  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(async () => {
      const seq = ++checkSeq;
      const [response, data] = await post(`${base()}/check`, collect());
      if (seq === checkSeq && response.ok) showFindings(data.findings || [], "fields");
    }, 700);
  }

  function setStatus(text, kind = "") {
    const el = $("#status");
    el.textContent = text;
    el.className = `status ${kind}`;
  }
  function alertBox(text, reload) {
    const box = $("#alert");
    box.replaceChildren(text);
    if (reload) {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = "重新载入"; b.className = "primary";
      b.addEventListener("click", () => { dirty = false; location.reload(); });
      box.append(" ", b);
    }
    box.hidden = !text;
    if (text) box.scrollIntoView({block: "center"});
  }
  function markDirty() {
    dirty = true;
    setStatus("有未保存的修改", "dirty");
    scheduleCheck();
    keepDraft();
  }

  // --- the unsaved draft, kept in this browser until it is saved (or thrown away) ---
  const draftKey = `showcase-draft:${folder}`;
  let draftTimer = null;
  function keepDraft() {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(writeDraft, 400);
  }
  function writeDraft() {
    clearTimeout(draftTimer);
    if (!dirty) return;
    try {
      localStorage.setItem(draftKey, JSON.stringify({time: new Date().toISOString(), state: collect()}));
    } catch (e) { setStatus("有未保存的修改（浏览器无法另存草稿，请及时保存）", "dirty"); }
  }
  function dropDraft() { clearTimeout(draftTimer); localStorage.removeItem(draftKey); }
  function offerDraft() {
    let draft = null;
    try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.state) return;
    const box = $("#draft");
    const when = new Date(draft.time);
    $("[data-draft-time]", box).textContent = `${when.toLocaleDateString("zh-CN")} ${when.toLocaleTimeString("zh-CN", {hour: "2-digit", minute: "2-digit"})} 填写的`;
    box.hidden = false;
    $("[data-draft-restore]", box).onclick = async () => {
      // edits made since the page opened would be replaced by the older draft
      if (dirty && !confirm("恢复会替换您打开本页后刚填的内容。确定恢复吗？")) return;
      const [response, data] = await post(`${base()}/draft`, draft.state);
      if (!response.ok) { alertBox(data.error || "恢复失败"); return; }
      const fresh = document.createElement("form");
      fresh.innerHTML = data.html; // rendered by the server's own templates
      form.replaceChildren(...fresh.childNodes);
      state = draft.state;
      logoUpload = state.logo && state.logo.upload;
      if (logoUpload) {
        const img = $(".logo-preview");
        img.src = `/api/staged/${logoUpload.id}`; img.hidden = false;
        $("[data-logo-name]").textContent = `新标识：${logoUpload.name}（保存后生效）`;
      }
      box.hidden = true;
      prepare();
      dirty = true;
      setStatus("已恢复没有保存的内容，请检查后点“保存”", "dirty");
      if (data.missing) alertBox(data.missing);
      scheduleCheck();
    };
    $("[data-draft-discard]", box).onclick = () => {
      if (!confirm("丢掉这些没有保存的内容吗？")) return;
      dropDraft(); box.hidden = true;
    };
  }

  async function save() {
    setStatus("正在保存……");
    alertBox("");
    const [response, data] = await post(`${base()}/save`, collect());
    if (response.status === 409) {
      setStatus("没有保存", "bad");
      alertBox(data.error, true);
      return;
    }
    if (!response.ok) {
      setStatus("没有保存", "bad");
      alertBox(data.error || "保存失败");
      return;
    }
    dirty = false;
    dropDraft();
    const count = (data.findings || []).filter((f) => f.level === "error").length;
    sessionStorage.setItem("showcase-saved", count ? `已保存（还有 ${count} 个错误要改）` : "已保存");
    location.reload(); // the page again from disk: new names, thumbnails and fingerprints
  }

  // --- uploads (to the editor's staging area; written into the folder on 保存) ---
  async function upload(files) {
    const body = new FormData();
    for (const f of files) body.append("files", f, f.name);
    setStatus("正在上传……");
    const response = await fetch("/api/upload", {method: "POST", body});
    const data = await response.json().catch(() => ({error: "上传失败"}));
    if (!response.ok) { setStatus("上传失败", "bad"); alertBox(data.error || "上传失败"); return []; }
    setStatus("已上传，记得点“保存”", "dirty");
    return data.files;
  }
  const clone = (id) => $(`#${id}`).content.firstElementChild.cloneNode(true);

  async function addPhotos(album, files) {
    for (const f of await upload(files)) {
      const li = clone("tpl-photo");
      li.dataset.upload = f.id; li.dataset.name = f.name;
      $("img", li).src = f.url;
      $('[data-k="caption"]', li).value = f.caption; // the site's own rule (textutil), from the server
      $(".photos", album).append(li);
    }
    markDirty();
  }
  function appendixFile(f) {
    const li = clone("tpl-appendix");
    li.dataset.upload = f.id; li.dataset.name = f.name; li.dataset.size = f.size;
    $(".name", li).textContent = f.name;
    $("small", li).textContent = f.size;
    if (f.image) {
      li.dataset.image = "1";
      const img = document.createElement("img"); img.src = f.url; img.alt = ""; img.className = "turn-0";
      $(".fileicon", li).replaceWith(img);
      $("label.caption", li).hidden = false;
      $('[data-k="caption"]', li).value = f.caption;
      const turn = document.createElement("button");
      turn.type = "button"; turn.dataset.rotatePhoto = ""; turn.textContent = "↻ 转";
      turn.setAttribute("aria-label", "向右转 90 度");
      $(".remove", li).before(turn, " ");
    } else $(".fileicon", li).textContent = (f.name.split(".").pop() || "文件").toUpperCase();
    return li;
  }
  // files chosen for the case: one new item each, titled like the site would title it
  async function addAppendix(caseEl, files) {
    for (const f of await upload(files)) {
      const item = clone("tpl-appendix-item");
      $('[data-k="title"]', item).value = f.caption;
      $(".appendix-list", item).append(appendixFile(f));
      $("[data-appendix-items]", caseEl).append(item);
    }
    renumber();
    markDirty();
  }
  // files chosen for one item: several files under one title
  async function addToItem(item, files) {
    for (const f of await upload(files)) $(".appendix-list", item).append(appendixFile(f));
    markDirty();
  }
  function renumber() {
    for (const list of $$("[data-appendix-items]")) {
      let n = 0;
      for (const item of $$("[data-appendix-item]", list)) if (!item.hidden) $("[data-number]", item).textContent = ++n;
    }
  }
  // text areas grow with their text (field-sizing where the browser has it)
  const sizing = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
  function grow(el) {
    if (sizing || el.tagName !== "TEXTAREA") return;
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight + 2}px`;
  }
  function prepare() {
    for (const el of $$("textarea", form)) grow(el);
    renumber();
    updateCount();
  }

  // --- events ---
  form.addEventListener("input", (event) => {
    if (event.target.name === "summary") updateCount();
    if (event.target.tagName === "TEXTAREA") grow(event.target);
    if (event.target.type !== "file") markDirty();
  });
  form.addEventListener("change", async (event) => {
    const t = event.target;
    if (t.name === "logo" && t.files.length) {
      const [f] = await upload(t.files);
      if (f) {
        logoUpload = {id: f.id, name: f.name};
        const img = $(".logo-preview");
        img.src = f.url; img.hidden = false;
        $("[data-logo-name]").textContent = `新标识：${f.name}（保存后生效）`;
        markDirty();
      }
      t.value = "";
    } else if (t.dataset.upload === "photos" && t.files.length) {
      await addPhotos(t.closest('[data-part="album"]'), t.files); t.value = "";
    } else if (t.dataset.upload === "appendix" && t.files.length) {
      await addAppendix(t.closest('[data-part="case"]'), t.files); t.value = "";
    } else if (t.dataset.upload === "appendix-item" && t.files.length) {
      await addToItem(t.closest("[data-appendix-item]"), t.files); t.value = "";
    }
  });
  form.addEventListener("click", async (event) => {
    const t = event.target.closest("button");
    if (!t) return;
    if (t.matches("[data-add-row]")) {
      const group = t.closest(".ind-group");
      const row = clone(`tpl-indicator-${group.dataset.kind}`);
      $(".rows", group).append(row);
      $("textarea", row).focus();
    } else if (t.matches("[data-add-item]")) {
      const item = clone("tpl-appendix-item");
      $("[data-appendix-items]", t.closest('[data-part="case"]')).append(item);
      renumber();
      $('[data-k="title"]', item).focus();
    } else if (t.matches("[data-remove-item]")) {
      const item = t.closest("[data-appendix-item]");
      if ($$("[data-appendix]", item).length && !confirm("这一项的文件会移到电脑的回收站（点“保存”后生效）。确定删除吗？")) return;
      item.dataset.deleted = "1"; item.hidden = true;
      renumber();
    } else if (t.matches("[data-add-timed]")) {
      const row = clone("tpl-timed");
      $("[data-timed]", t.closest('[data-part="plan"]')).append(row);
      $("input", row).focus();
    } else if (t.matches("[data-remove-timed]")) {
      t.closest("[data-timed-row]").remove();
    } else if (t.matches("[data-rotate-photo]")) {
      const li = t.closest("li");
      const turn = (Number(li.dataset.rotate || 0) + 90) % 360;
      li.dataset.rotate = turn;
      const img = $("img", li);
      img.className = `turn-${turn}`;
    } else if (t.matches("[data-remove-row]")) {
      t.closest("[data-row]").remove();
    } else if (t.matches("[data-add-year]")) {
      const pair = clone("tpl-pair");
      t.before(pair);
      $("input", pair).focus();
    } else if (t.matches("[data-remove-pair]")) {
      t.closest("[data-pair]").remove();
    } else if (t.matches("[data-add-part]")) {
      const kind = t.dataset.addPart;
      const el = clone(`tpl-${kind}`);
      $(`[data-parts="${kind}"]`).append(el);
      $('[data-k="title"]', el).focus();
    } else if (t.matches("[data-remove-part]")) {
      const part = t.closest("[data-part]");
      if (!confirm("删除后，文件会移到电脑的回收站（点“保存”后生效）。确定删除吗？")) return;
      if (part.dataset.file || part.dataset.folder) { part.dataset.deleted = "1"; part.hidden = true; } else part.remove();
    } else if (t.matches("[data-remove-photo], [data-remove-appendix]")) {
      const li = t.closest("li");
      if (li.dataset.file) { li.dataset.deleted = "1"; li.hidden = true; } else li.remove();
    } else if (t.matches("[data-up], [data-down]")) {
      const li = t.closest("[data-appendix-item]") || t.closest("li");
      const visible = (el) => el && el.hidden ? visible(t.matches("[data-up]") ? el.previousElementSibling : el.nextElementSibling) : el;
      if (t.matches("[data-up]")) { const prev = visible(li.previousElementSibling); if (prev) prev.before(li); }
      else { const next = visible(li.nextElementSibling); if (next) next.after(li); }
      renumber();
      t.focus();
    } else if (t.matches("[data-md-preview]")) {
      const field = t.closest(".field, .part");
      const area = t.parentElement.previousElementSibling;
      const box = t.parentElement.nextElementSibling;
      if (!box.hidden) { box.hidden = true; t.textContent = "看排版效果"; return; }
      const [, data] = await post("/api/render", {text: area.value});
      box.innerHTML = data.html || "<p>（空）</p>"; // sanitised by the server (nh3)
      box.hidden = false; t.textContent = "收起排版效果";
      void field;
      return;
    } else {
      return;
    }
    markDirty();
  });
  for (const el of $$("[data-save]").concat([$("#save")])) el.addEventListener("click", save);
  $("#preview").addEventListener("click", async (event) => {
    event.preventDefault();
    if (dirty) { alertBox("请先点“保存”，预览显示的是保存后的网页。"); return; }
    setStatus("正在生成预览……");
    const win = window.open("about:blank", "_blank");
    const [response, data] = await post(`${base()}/preview`, {});
    if (!response.ok) { if (win) win.close(); setStatus(""); alertBox(data.error || "预览失败"); return; }
    setStatus("预览已打开");
    if (win) win.location = data.url; else location.href = data.url;
  });
  // drag and drop several photos (or appendix files) at once
  form.addEventListener("dragover", (event) => {
    const zone = event.target.closest("[data-drop]");
    if (zone) { event.preventDefault(); zone.classList.add("over"); }
  });
  form.addEventListener("dragleave", (event) => {
    const zone = event.target.closest("[data-drop]");
    if (zone) zone.classList.remove("over");
  });
  form.addEventListener("drop", async (event) => {
    const zone = event.target.closest("[data-drop]");
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("over");
    const files = event.dataTransfer.files;
    if (!files.length) return;
    if (zone.dataset.drop === "photos") await addPhotos(zone.closest('[data-part="album"]'), files);
    else await addAppendix(zone.closest('[data-part="case"]'), files);
  });
  window.addEventListener("beforeunload", (event) => { if (dirty) { writeDraft(); event.preventDefault(); event.returnValue = ""; } });
  window.addEventListener("pagehide", () => { if (dirty) writeDraft(); });
  // Ctrl+S saves, as in Word
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") { event.preventDefault(); save(); }
  });

  prepare();
  showFindings(JSON.parse($("#findings").textContent), "all");
  offerDraft();
  const saved = sessionStorage.getItem("showcase-saved");
  if (saved) { setStatus(saved, "ok"); sessionStorage.removeItem("showcase-saved"); }
})();
