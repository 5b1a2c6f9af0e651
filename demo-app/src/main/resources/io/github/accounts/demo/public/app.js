// The demo page: plain fetch() calls to the JSON routes in cookie transport. The session and update tokens live
// only in HttpOnly cookies, out of reach of any script on this page; the page keeps just the CSRF token, in memory,
// and sends it with every request that changes something.
'use strict';

const $ = (id) => document.getElementById(id);
let csrfToken = null; // null: not signed in (as far as this page knows)

/** Calls a JSON route; resolves to the parsed body (or null), rejects with the problem JSON. */
async function call(method, path, body, mayRefresh = true) {
  const headers = { 'Accept': 'application/json', 'X-Session-Transport': 'cookie' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin' });
  } catch (e) {
    throw { title: 'Network error', detail: 'The server could not be reached.' };
  }
  if (res.status === 401 && csrfToken && mayRefresh && await refresh()) {
    return call(method, path, body, false); // the session cookie expired: retried once after a refresh
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (res.status === 403 && data && data.code === 'reauthentication_required' && mayRefresh) {
    await reauthenticate(); // reauth.js: the person proves it is them, or cancels (which rejects)
    return call(method, path, body, false); // retried once, within the proof's window
  }
  if (!res.ok) throw data || { title: res.status + ' ' + res.statusText, detail: text };
  return data;
}

/** Trades the refresh cookie for a new pair of cookies; false (and signed out) when it no longer works. */
async function refresh() {
  try {
    const data = await call('POST', '/accounts/sessions/refresh', {}, false);
    keep(data.session);
    return true;
  } catch (e) {
    forget();
    return false;
  }
}

/** After a (re)load: the session cookie's CSRF token if it still works, else a refresh, else signed out. */
async function resume() {
  try {
    csrfToken = (await call('GET', '/accounts/sessions/csrf', undefined, false)).csrf_token;
  } catch (e) {
    if (e.status === 401) await refresh();
  }
}

function keep(session) {
  csrfToken = session.csrf_token;
}

function forget() {
  csrfToken = null;
}

function show(kind, text, fieldErrors) {
  const box = $('message');
  box.className = kind;
  box.replaceChildren(document.createTextNode(text));
  if (fieldErrors && fieldErrors.length) {
    const list = document.createElement('ul');
    for (const f of fieldErrors) {
      const item = document.createElement('li');
      item.textContent = f.field + ': ' + f.message;
      list.append(item);
    }
    box.append(list);
  }
  box.hidden = false;
}

function showProblem(problem) {
  show('error', problem.detail || problem.title || 'Something went wrong.', problem.errors);
}

function clearMessage() {
  $('message').hidden = true;
}

function formBody(form) {
  return Object.fromEntries(new FormData(form).entries());
}

/** Runs a form's action on submit, showing any problem from the server. */
function onSubmit(id, action) {
  $(id).addEventListener('submit', async (event) => {
    event.preventDefault();
    clearMessage();
    try {
      await action(event.target);
    } catch (problem) {
      showProblem(problem);
    }
  });
}

function onClick(id, action) {
  $(id).addEventListener('click', async () => {
    clearMessage();
    try {
      await action();
    } catch (problem) {
      showProblem(problem);
    }
  });
}

async function render() {
  if (!csrfToken) {
    $('signed-in').hidden = true;
    $('signed-out').hidden = false;
    $('status').textContent = 'Not signed in.';
    return;
  }
  try {
    const { user } = await call('GET', '/accounts/users/me');
    // A profile that requires a second factor refuses host routes (403) until it is on: the page still shows.
    const greeting = await call('GET', '/api/greeting')
      .catch((p) => p.status === 403 ? { message: p.detail } : Promise.reject(p));
    const { sessions } = await call('GET', '/accounts/sessions');
    $('status').textContent = 'Signed in as ' + user.email;
    $('greeting').textContent = greeting.message;
    renderUser(user);
    renderMfa(user); // mfa.js
    renderSessions(sessions);
    if (typeof renderPasskeys === 'function') await renderPasskeys(); // passkeys.js
    if (typeof renderIdentities === 'function') await renderIdentities(); // federation.js
    $('signed-out').hidden = true;
    $('signed-in').hidden = false;
  } catch (problem) {
    if (problem.status === 401) {
      forget(); // the session is gone (signed out elsewhere, revoked, expired): back to the sign-in forms
      await render();
    }
    showProblem(problem);
  }
}

function renderUser(user) {
  const rows = [['Email', user.email], ['Name', user.fname + ' ' + user.lname],
    ['Email verified', user.email_verified ? 'yes' : 'no'], ['Member since', new Date(user.created_at).toLocaleString()]];
  $('me').replaceChildren(...rows.flatMap(([name, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  }));
}

function renderSessions(sessions) {
  $('sessions').replaceChildren(...sessions.map((s) => {
    const row = document.createElement('tr');
    const cells = [new Date(s.created_at).toLocaleString(), new Date(s.last_used_at).toLocaleString(),
      (s.current ? '(this tab) ' : '') + (s.user_agent || 'unknown'), s.ip || ''];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      row.append(td);
    }
    row.children[2].className = 'device';
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.className = 'quiet';
    revoke.textContent = 'Revoke';
    revoke.addEventListener('click', async () => {
      clearMessage();
      try {
        await call('DELETE', '/accounts/sessions/' + encodeURIComponent(s.id));
        if (s.current) forget();
        await render();
      } catch (problem) {
        showProblem(problem);
      }
    });
    const actions = document.createElement('td');
    actions.append(revoke);
    row.append(actions);
    return row;
  }));
}

onSubmit('sign-up', async (form) => {
  const { session } = await call('POST', '/accounts/users', formBody(form));
  keep(session);
  form.reset();
  await render();
});

onSubmit('sign-in', async (form) => {
  const data = await call('POST', '/accounts/sessions', formBody(form));
  form.reset();
  if (data.mfa) return askSecondFactor(data.mfa); // 202: mfa.js takes the second step
  keep(data.session);
  await render();
});

onSubmit('forgot', async (form) => {
  await call('POST', '/accounts/password-resets', formBody(form));
  form.reset();
  show('info', 'If that email has an account, a reset email is on its way. '
    + 'In development, find it (token included) in the server log, then set a new password below.');
});

onSubmit('reset', async (form) => {
  await call('POST', '/accounts/password-resets/confirm', formBody(form));
  form.reset();
  show('info', 'Your password is changed and every session was signed out. Sign in with the new password.');
});

onClick('refresh', render);

onClick('sign-out', async () => {
  try {
    await call('DELETE', '/accounts/sessions/current');
  } finally {
    forget();
    await render();
  }
  show('info', 'Signed out.');
});

onClick('sign-out-everywhere', async () => {
  try {
    await call('DELETE', '/accounts/sessions');
  } finally {
    forget();
    await render();
  }
  show('info', 'Signed out of every session.');
});

resume().then(render);
