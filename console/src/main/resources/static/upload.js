// Direct upload: ask the console for presigned URLs, PUT the parts straight to S3 (3 at a time) with a progress bar,
// then ask the console to complete. No page reload; the page's list shows the file afterwards.
//
// Resume: a multipart upload's plan (its id and part URLs, never file contents) and the parts S3 has accepted are kept
// in this browser's localStorage, under the file's name, size and modification time. Choosing the same file again
// after a reload or a cut (a browser may only read a file the user chose) uploads only the missing parts, while the
// URLs are still valid; file-service completes the upload only when S3 holds every part.
(function () {
    const PARALLEL = 3;
    const PREFIX = 'drawbridge-upload:';
    const csrf = document.getElementById('csrf');
    const bar = document.getElementById('upload-progress');
    const percent = document.getElementById('upload-percent');
    const status = document.getElementById('upload-status');

    function headers() {
        const h = {'Content-Type': 'application/json'};
        h[csrf.dataset.header] = csrf.dataset.token;
        return h;
    }

    function show(sent, total) {
        const p = total === 0 ? 100 : Math.floor(sent * 100 / total);
        bar.value = p;
        percent.textContent = p + ' %';
    }

    function key(file) {
        return PREFIX + file.name + ':' + file.size + ':' + file.lastModified;
    }

    /** The saved state of an interrupted upload of this file, if its URLs are valid for a while yet. */
    function saved(file) {
        try {
            const state = JSON.parse(localStorage.getItem(key(file)));
            if (state && state.plan && Date.parse(state.plan.expires_at) > Date.now() + 60000) {
                return state;
            }
        } catch (e) { /* unreadable: start over */ }
        localStorage.removeItem(key(file));
        return null;
    }

    function save(file, state) {
        try { localStorage.setItem(key(file), JSON.stringify(state)); } catch (e) { /* full or disabled: no resume */ }
    }

    function put(url, blob, onProgress) {
        return new Promise((resolve, reject) => {
            const xhr = new XMLHttpRequest();
            xhr.open('PUT', url);
            xhr.upload.onprogress = e => onProgress(e.loaded);
            xhr.onload = () => xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error('storage answered ' + xhr.status));
            xhr.onerror = () => reject(new Error('storage unreachable'));
            xhr.send(blob);
        });
    }

    async function upload(file) {
        let state = saved(file);
        if (!state) {
            status.textContent = 'Starting ...';
            const start = await fetch('/files/uploads', {method: 'POST', headers: headers(), credentials: 'same-origin',
                body: JSON.stringify({name: file.name, size: file.size, contentType: file.type || 'application/octet-stream'})});
            const plan = await start.json();
            if (!start.ok) throw new Error(plan.error + ': ' + plan.detail);
            state = {plan: plan, done: []};
            if (plan.parts) save(file, state);
        }
        const plan = state.plan;
        const parts = plan.parts || [{part_number: 1, offset: 0, length: file.size, url: plan.url}];
        const total = file.size;
        const sent = parts.map(part => state.done.includes(part.part_number) ? part.length : 0);
        const todo = parts.map((part, i) => i).filter(i => !state.done.includes(parts[i].part_number));
        show(sent.reduce((a, b) => a + b, 0), total);
        status.textContent = state.done.length > 0
            ? 'Resuming: ' + state.done.length + ' of ' + parts.length + ' parts already stored, uploading '
                + todo.length + ' ...'
            : 'Uploading ' + parts.length + ' part(s) ...';
        let next = 0;
        async function worker() {
            while (next < todo.length) {
                const i = todo[next++];
                const part = parts[i];
                await put(part.url, file.slice(part.offset, part.offset + part.length), loaded => {
                    sent[i] = loaded;
                    show(sent.reduce((a, b) => a + b, 0), total);
                });
                sent[i] = part.length;
                show(sent.reduce((a, b) => a + b, 0), total);
                if (plan.parts) {
                    state.done.push(part.part_number);
                    save(file, state);
                }
            }
        }
        await Promise.all(Array.from({length: Math.min(PARALLEL, todo.length)}, worker));
        status.textContent = 'Checking (size, SHA-256) ...';
        const done = await fetch('/files/uploads/' + plan.id + '/complete', {method: 'POST', headers: headers(),
            credentials: 'same-origin', body: '{}'});
        const stored = await done.json();
        if (!done.ok) {
            if (stored.error !== 'upload_incomplete') localStorage.removeItem(key(file));
            throw new Error(stored.error + ': ' + stored.detail);
        }
        localStorage.removeItem(key(file));
        show(total, total);
        status.innerHTML = '';
        const b = document.createElement('span');
        b.id = 'upload-done';
        b.dataset.fileId = stored.id;
        b.textContent = 'Stored ' + stored.name + ' (' + stored.size + ' bytes), SHA-256 ' + stored.sha256 + ', id ' + stored.id;
        status.appendChild(b);
    }

    // After a reload: say which uploads can be resumed.
    const interrupted = Object.keys(localStorage).filter(k => k.startsWith(PREFIX))
        .map(k => k.substring(PREFIX.length).split(':').slice(0, -2).join(':'));
    if (interrupted.length > 0) {
        status.textContent = 'Interrupted: ' + interrupted.join(', ') + '. Choose the same file again to resume.';
    }

    document.getElementById('upload-start').addEventListener('click', () => {
        const file = document.getElementById('upload-file').files[0];
        if (!file) { status.textContent = 'Choose a file first.'; return; }
        status.className = '';
        show(0, 1);
        upload(file).catch(e => { status.textContent = 'Upload failed: ' + e.message; status.className = 'error'; });
    });
})();
