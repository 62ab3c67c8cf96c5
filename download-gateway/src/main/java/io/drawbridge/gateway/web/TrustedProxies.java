package io.drawbridge.gateway.web;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import reactor.netty.http.server.ConnectionInfo;

/**
 * The proxies in front of the gateway whose {@code X-Forwarded-For} is believed: the header is a request header
 * anyone can send, so it only counts on a connection that comes from one of the configured ranges. Then the entries
 * are read from the right (the one the nearest proxy appended) and trusted proxies are skipped; the first address
 * that is not one of them is the client. Everything the gateway does with a client address (rate limits, grant IP
 * binding, the DownloadRequested / DownloadCompleted events the audit trail records) reads it from the connection
 * this handler rewrites, so there is one place that decides.
 *
 * <p>Installed as Reactor Netty's forwarded-header handler (GatewayConfiguration); Reactor Netty's own default
 * handler would take the left-most entry, which the client writes.
 */
public final class TrustedProxies implements BiFunction<ConnectionInfo, HttpRequest, ConnectionInfo> {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    /** More entries than this are not read: a client cannot make the gateway walk a header of thousands. */
    private static final int MAX_HOPS = 16;

    private final List<IpSubnetFilterRule> ranges;

    /**
     * @param ranges CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}) or single addresses; literals only, never
     *     host names (a name would need a DNS look-up on every request)
     */
    public TrustedProxies(List<String> ranges) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String range : ranges) {
            rules.add(rule(range.trim()));
        }
        this.ranges = List.copyOf(rules);
    }

    private static IpSubnetFilterRule rule(String range) {
        int slash = range.indexOf('/');
        String address = slash < 0 ? range : range.substring(0, slash);
        InetAddress parsed = literal(address);
        if (parsed == null) {
            throw new IllegalArgumentException("trusted proxy range is not an IP address or CIDR range: " + range);
        }
        int maxPrefix = parsed.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? maxPrefix : Integer.parseInt(range.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trusted proxy range has a bad prefix length: " + range, e);
        }
        if (prefix < 0 || prefix > maxPrefix) {
            throw new IllegalArgumentException("trusted proxy range has a bad prefix length: " + range);
        }
        return new IpSubnetFilterRule(parsed, prefix, IpFilterRuleType.ACCEPT);
    }

    /** An IP literal without any DNS look-up, or null when the text is not one. */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    boolean trusts(InetSocketAddress peer) {
        if (peer == null || peer.getAddress() == null) {
            return false;
        }
        for (IpSubnetFilterRule range : ranges) {
            if (range.matches(peer)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ConnectionInfo apply(ConnectionInfo connection, HttpRequest request) {
        InetSocketAddress client =
                clientOf(connection.getRemoteAddress(), request.headers().getAll(FORWARDED_FOR));
        return client == connection.getRemoteAddress() ? connection : connection.withRemoteAddress(client);
    }

    /**
     * The client behind {@code peer}: {@code peer} itself unless it is a trusted proxy, else the right-most
     * forwarded entry that is not a trusted proxy (or the left-most one when every entry is). An entry that is not an
     * IP literal ends the walk: what is left of it was not written by a proxy we trust.
     */
    InetSocketAddress clientOf(InetSocketAddress peer, List<String> forwardedFor) {
        if (!trusts(peer) || forwardedFor == null || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",", MAX_HOPS + 1)) {
                hops.add(hop.trim());
            }
        }
        InetSocketAddress current = peer;
        int read = 0;
        for (int i = hops.size() - 1; i >= 0 && read < MAX_HOPS; i--, read++) {
            InetAddress address = literal(hops.get(i));
            if (address == null) {
                return current;
            }
            current = new InetSocketAddress(address, 0);
            if (!trusts(current)) {
                return current;
            }
        }
        return current;
    }
}
