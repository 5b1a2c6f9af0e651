package io.github.accounts.web;

import spark.Request;

import javax.servlet.ServletRequest;
import javax.servlet.ServletRequestWrapper;

/** The container's own request beneath Spark's wrappers, whose body buffering and address handling we avoid. */
final class ServletRequests {
    private ServletRequests() {
    }

    static ServletRequest beneathSpark(Request req) {
        ServletRequest raw = req.raw();
        while (raw instanceof ServletRequestWrapper wrapper) {
            raw = wrapper.getRequest();
        }
        return raw;
    }
}
