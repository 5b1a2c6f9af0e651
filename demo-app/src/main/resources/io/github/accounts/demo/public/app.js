// The demo page: plain fetch() calls to the JSON routes in cookie transport. The session and update tokens live
// only in HttpOnly cookies, out of reach of any script on this page; the page keeps just the CSRF token, in memory,
// and sends it with every request that changes something.
'use strict';

const $ = (id) => document.getElementById(id);
let csrfToken = null; // null: not signed in (as far as this page knows)
let offersPasskeys = true; // false: no relying party on the server (e.g. a random port), as GET /demo/session says
let shownUserId = null; // the user whose data the page shows, null when none
let userEpoch = 0; // moves at each resetUserState(): answers asked for before it are dropped, not shown
const userResets = []; // the other scripts' cleanups of what they keep in memory for a user

/** Registers a cleanup that resetUserState() runs: pending tokens and other values a script keeps for a user. */
function onUserReset(cleanup) {
  userResets.push(cleanup);
}

/**
 * Clears everything of one user from the page, on sign-out and before another user's data shows: whatever the
 * markup marks data-user (their data: emptied, an image loses its source) and data-user-hidden (shown for them
 * only: hidden again), every form's inputs, the message, and what each script keeps in memory (onUserReset).
 * A part of the page that shows user data is marked in index.html, so it is cleared with no code of its own here.
 */
function resetUserState() {
  userEpoch++;
  shownUserId = null;
  for (const el of document.querySelectorAll('[data-user]')) {
    if (el.tagName === 'IMG') el.removeAttribute('src');
    else el.replaceChildren();
  }
  for (const el of document.querySelectorAll('[data-user-hidden]')) el.hidden = true;
  for (const form of document.forms) form.reset();
  clearMessage();
  for (const cleanup of userResets) cleanup();
}

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

/**
 * After a (re)load: the session cookie's CSRF token if it still works, else a refresh, else signed out. The demo host
 * says first which of the cookies this browser holds (GET /demo/session, which never fails; the cookies are HttpOnly),
 * so that a signed-out load sends nothing that answers 401, and whether it offers passkeys at all.
 */
async function resume() {
  let cookies;
  try {
    cookies = await call('GET', '/demo/session', undefined, false);
  } catch (e) {
    return; // the server is unreachable: the page shows the sign-in forms
  }
  offersPasskeys = cookies.passkeys;
  $('passkey-sign-in-card').hidden = !offersPasskeys;
  if (!cookies.session) {
    if (cookies.refresh) await refresh();
    return;
  }
  try {
    csrfToken = (await call('GET', '/accounts/sessions/csrf', undefined, false)).csrf_token;
  } catch (e) {
    if (e.status === 401) await refresh();
  }
}

function keep(session) {
  csrfToken = session.csrf_token;
}

/** The session is over (signed out, revoked, expired): nothing of its user stays on the page. */
function forget() {
  const someone = csrfToken !== null || shownUserId !== null;
  csrfToken = null;
  if (someone) resetUserState();
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
  const epoch = userEpoch;
  try {
    const { user } = await call('GET', '/accounts/users/me');
    // A profile that requires a second factor refuses host routes (403) until it is on: the page still shows.
    const greeting = await call('GET', '/api/greeting')
      .catch((p) => p.status === 403 ? { message: p.detail } : Promise.reject(p));
    const { sessions } = await call('GET', '/accounts/sessions');
    if (epoch !== userEpoch) return; // signed out meanwhile: these answers belong to no one shown now
    if (shownUserId !== null && shownUserId !== user.id) resetUserState(); // another user, in this same tab
    shownUserId = user.id;
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
  $('verify-email').hidden = user.email_verified;
  $('verify-email-address').textContent = user.email;
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
      (s.current ? '(this tab) ' : '') + deviceName(s.user_agent), placeName(s.ip)];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      row.append(td);
    }
    row.children[2].className = 'device';
    if (s.user_agent) row.children[2].title = s.user_agent;
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
