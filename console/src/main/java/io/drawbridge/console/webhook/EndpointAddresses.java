package io.drawbridge.console.webhook;

import io.drawbridge.platform.web.ProblemException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Which URLs a webhook may be sent to. A seller types the URL, and the console sends from inside the network: without
 * a check an endpoint of {@code http://169.254.169.254/...} or {@code http://token-service:8081/...} would make the
 * console a proxy into the cluster (SSRF). So: absolute {@code https} (http only when allowed), no user info, and a
 * host whose every address is public, checked when the endpoint is created and again before every attempt (a name
 * can be re-pointed later). Internal addresses are allowed only when configured, for the dev stack.
 */
final class EndpointAddresses {

    private final boolean allowHttp;
    private final boolean allowPrivate;

    EndpointAddresses(boolean allowHttp, boolean allowPrivate) {
        this.allowHttp = allowHttp;
        this.allowPrivate = allowPrivate;
    }

    /** The URL as it will be called, or a 400 {@code validation_failed} saying what is wrong with it. */
    URI parse(String url) {
        if (url == null || url.isBlank() || url.length() > 2000) {
            throw invalid("url is required (an absolute https URL, at most 2000 characters).");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw invalid(allowHttp ? "url must be http or https." : "url must be https.");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid("url must name a host.");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("url must not contain a user name or password; put credentials in the path or rely on"
                    + " the signature.");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("url must not have a fragment.");
        }
        return uri;
    }

    /**
     * Resolves the host (on a worker thread: name resolution blocks) and fails with a 400 when it does not resolve
     * or one of its addresses is internal and that is not allowed.
     */
    Mono<URI> check(URI uri) {
        if (allowPrivate) {
            return Mono.just(uri);
        }
        return Mono.fromCallable(() -> {
                    InetAddress[] addresses;
                    try {
                        addresses = InetAddress.getAllByName(uri.getHost());
                    } catch (UnknownHostException e) {
                        throw invalid("the url's host does not resolve.");
                    }
                    for (InetAddress address : addresses) {
                        if (internal(address)) {
                            throw invalid("the url's host resolves to an internal address (" + address.getHostAddress()
                                    + "); webhooks go to public addresses only.");
                        }
                    }
                    return uri;
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** Loopback, unspecified, private, link-local (cloud metadata), shared (CGNAT), multicast or unique-local. */
    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isAnyLocalAddress()
                || address.isSiteLocalAddress()
                || address.isLinkLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second <= 127) // shared address space (CGNAT)
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            boolean mapped = true; // ::ffff:a.b.c.d, an IPv4 address in IPv6 clothing
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", detail);
    }
}
