package io.github.accounts.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.web.dto.EventBody;
import org.json.JSONObject;

/**
 * One thing to push to a user's clients, made once per delivery and said by each protocol its own way: the plain
 * WebSocket's {@code {"type": "event", "event": {...}}} text, or Socket.IO's {@code event} with the bare event
 * shape. Thread-safe.
 */
final class RealtimePush {
    /** The Socket.IO event name: {@code event} or {@code message}. */
    final String name;
    /** The WebSocket's text message. */
    final String text;
    /** The bare object Socket.IO sends: the event shape, or {@code {topic, data}}. */
    private final String body;
    private JSONObject argument;

    private RealtimePush(String name, String text, String body) {
        this.name = name;
        this.text = text;
        this.body = body;
    }

    /** An account event. */
    static RealtimePush event(ObjectMapper json, AccountEvent event) {
        ObjectNode message = json.createObjectNode().put("type", "event");
        ObjectNode body = json.valueToTree(EventBody.of(event));
        message.set("event", body);
        return new RealtimePush("event", message.toString(), body.toString());
    }

    /** A host message, from its WebSocket text {@code {"type": "message", "topic", "data"}}. */
    static RealtimePush message(ObjectMapper json, String text) {
        try {
            ObjectNode body = (ObjectNode) json.readTree(text);
            body.remove("type");
            return new RealtimePush("message", text, body.toString());
        } catch (Exception e) {
            throw new IllegalArgumentException("A real-time message is a JSON object", e);
        }
    }

    /** Socket.IO's argument, parsed once for all the user's clients (org.json is what its server encodes). */
    synchronized JSONObject argument() {
        if (argument == null) {
            argument = new JSONObject(body);
        }
        return argument;
    }
}
