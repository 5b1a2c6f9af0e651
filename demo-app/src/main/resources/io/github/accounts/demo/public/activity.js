// Live account activity: one WebSocket to /accounts/events/socket while this page is signed in. The browser
// authenticates it with the HttpOnly session cookie (the server checks the Origin); each account event, on any
// instance, arrives as it commits and goes to the top of the list. When this session ends elsewhere (signed out
// everywhere, revoked, the account deleted) the server closes with 4401 or 4403 and the page signs out at once.
// Uses app.js's call(), forget(), render() and show().
'use strict';

const activity = { socket: null, retry: null };

const LABELS = {
  'session.signed_in': 'Signed in', 'session.revoked': 'Session ended', 'session.sign_in_failed': 'Failed sign-in',
  'session.throttled': 'Sign-ins throttled', 'user.signed_up': 'Signed up', 'user.updated': 'Profile changed',
  'password.changed': 'Password changed', 'password.reset': 'Password reset', 'email.verified': 'Email verified',
};

function activityItem(event) {
  const li = document.createElement('li');
  const when = document.createElement('time');
  when.dateTime = event.at || '';
  when.textContent = event.at ? new Date(event.at).toLocaleTimeString() : '';
  const what = document.createElement('span');
  const reason = event.detail && event.detail.reason ? ' (' + event.detail.reason.replaceAll('_', ' ') + ')' : '';
  what.textContent = ' ' + (LABELS[event.type] || event.type) + reason;
  li.dataset.type = event.type;
  li.append(when, what);
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
