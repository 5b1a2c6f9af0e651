// Live account activity: one WebSocket to /accounts/events/socket while this page is signed in. The browser
// authenticates it with the HttpOnly session cookie (the server checks the Origin); each account event, on any
// instance, arrives as it commits and goes to the top of the list. When this session ends elsewhere (signed out
// everywhere, revoked, the account deleted) the server closes with 4401 or 4403 and the page signs out at once.
// Uses app.js's call(), forget(), render() and show().
'use strict';

const activity = { socket: null, retry: null };

/** Every event type accounts-core records (AccountEvent's constants), as people say it. */
const EVENT_LABELS = {
  'user.signed_up': 'Signed up', 'user.updated': 'Name changed', 'user.claimed': 'Account claimed by its inbox',
  'user.disabled': 'Account disabled by an operator', 'user.enabled': 'Account enabled again by an operator',
  'user.throttle_cleared': 'Sign-in block lifted by an operator',
  'session.signed_in': 'Signed in', 'session.sign_in_failed': 'Failed sign-in', 'session.revoked': 'Session ended',
  'session.throttled': 'Sign-ins paused after failed attempts', 'session.mfa_required': 'Password accepted, code asked',
  'session.sign_in_requested': 'Sign-in link mailed',
  'password.changed': 'Password changed', 'password.reset': 'Password reset by mail',
  'email.verified': 'Email verified', 'email.change_requested': 'Email change asked',
  'email.changed': 'Email changed', 'mail.failed': 'A mail could not be delivered',
  'mfa.enabled': 'Two-factor authentication on', 'mfa.disabled': 'Two-factor authentication off',
  'mfa.recovery_code_used': 'Recovery code used', 'mfa.recovery_codes_regenerated': 'New recovery codes',
  'passkey.added': 'Passkey added', 'passkey.removed': 'Passkey removed',
  'identity.linked': 'Sign-in provider linked', 'identity.unlinked': 'Sign-in provider unlinked',
  'operator.action': 'Operator action taken', 'webhook.created': 'Webhook added', 'webhook.deleted': 'Webhook removed',
};

/** Details worth a few words: why a session ended, how a sign-in was made. */
const EVENT_DETAILS = {
  sign_out: 'signed out', revoked: 'revoked from another session', sign_out_everywhere: 'signed out everywhere',
  password_changed: 'the password changed', password_reset: 'the password was reset',
  token_reuse: 'a stolen refresh token was used', evicted: 'too many sessions', admin: 'by an operator',
  disabled: 'account disabled', account_deleted: 'account deleted', password: 'with a password',
  passkey: 'with a passkey', email_link: 'with a mailed link', email_code: 'with a mailed code',
  federated: 'with a provider', email: 'by email', totp: 'with an app code', recovery_code: 'with a recovery code',
};

/** The readable name of an event type; one this page does not know reads as its words, never as a dotted name. */
function eventLabel(type) {
  if (EVENT_LABELS[type]) return EVENT_LABELS[type];
  const words = String(type).replace(/[._]+/g, ' ').trim();
  return 'Account event: ' + (words || 'unnamed');
}

function eventDetail(detail) {
  const value = detail && (detail.reason || detail.method);
  if (!value) return '';
  return ' (' + (EVENT_DETAILS[value] || String(value).replaceAll('_', ' ')) + ')';
}

function activityItem(event) {
  const li = document.createElement('li');
  const when = document.createElement('time');
  when.dateTime = event.at || '';
  when.textContent = event.at ? new Date(event.at).toLocaleString() : '';
  const what = document.createElement('span');
  what.textContent = ' ' + eventLabel(event.type) + eventDetail(event.detail);
  const where = document.createElement('span');
  where.className = 'hint';
  if (event.user_agent || event.ip) {
    where.textContent = ' · ' + deviceName(event.user_agent) + ', ' + placeName(event.ip); // app.js
    if (event.user_agent) where.title = event.user_agent;
  }
  li.dataset.type = event.type;
  li.append(when, what, where);
  return li;
}

async function loadRecentActivity() {
  try {
    const { events } = await call('GET', '/accounts/users/me/events?limit=10');
    $('activity').replaceChildren(...events.map(activityItem));
  } catch (problem) {
    // the list stays as it is; the socket still brings what comes next
  }
}

function connectActivity() {
  if (activity.socket) return;
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
    + '/accounts/events/socket');
  activity.socket = socket;
  socket.addEventListener('message', (m) => {
    const message = JSON.parse(m.data);
    if (message.type === 'ready') {
      $('activity-status').textContent = 'Live.';
      loadRecentActivity();
    } else if (message.type === 'event') {
      $('activity').prepend(activityItem(message.event));
    }
  });
  socket.addEventListener('close', (e) => {
    activity.socket = null;
    $('activity-status').textContent = 'Not connected.';
    if (e.code === 4401 || e.code === 4403) {
      if (!$('signed-in').hidden) {
        forget();
        render().then(() => show('info', e.code === 4403 ? 'This account was deleted.'
          : 'This session ended in another tab or device.'));
      }
    } else if (!$('signed-in').hidden) {
      activity.retry = setTimeout(connectActivity, 2000); // the connection dropped: try again
    }
  });
}

function disconnectActivity() {
  clearTimeout(activity.retry);
  if (activity.socket) {
    const socket = activity.socket;
    activity.socket = null;
    socket.close(1000, 'signed out');
  }
  $('activity').replaceChildren();
}

// app.js shows #signed-in once it knows the session works and hides it when it ends: follow it.
new MutationObserver(() => ($('signed-in').hidden ? disconnectActivity() : connectActivity()))
  .observe($('signed-in'), { attributes: true, attributeFilter: ['hidden'] });
