package io.drawbridge.gateway.grant.domain;

import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.GrantedItem;
import java.net.URI;
import java.util.List;

/**
 * Where a granted download lives and what it is called: the signed {@code /dl/...} path plus the name, size and
 * checksum a script wants to see before fetching it.
 */
public final class GrantLinks {

    private final GrantSigner signer;
    private final URI publicUrl;
    private final String defaultArchiveName;

    public GrantLinks(GrantSigner signer, URI publicUrl, String defaultArchiveName) {
        this.signer = signer;
        this.publicUrl = publicUrl;
        this.defaultArchiveName = defaultArchiveName;
    }

    /** The relative path {@code /dl/{grantId}.{expires}.{sig}}. */
    public String path(DownloadGranted granted, String clientIp) {
        return "/dl/" + signer.sign(granted.grantId(), granted.expiresAt(), clientIp);
    }

    /** The absolute URL, on the gateway's public base URL. */
    public String url(DownloadGranted granted, String clientIp) {
        String base = publicUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + path(granted, clientIp);
    }

    /** The name the browser saves: the file's, or the archive's when there are several items. */
    public String fileName(List<GrantedItem> items, String archiveName) {
        if (items.size() == 1) {
            return FileNames.safe(items.get(0).name());
        }
        return archiveName(archiveName);
    }

    public String archiveName(String archiveName) {
        String name = FileNames.safe(archiveName == null || archiveName.isBlank() ? defaultArchiveName : archiveName);
        return name.toLowerCase().endsWith(".zip") ? name : name + ".zip";
    }
}
