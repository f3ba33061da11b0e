extension BootResult {
    /// Holds the boot to what its domain configs asked for. The hypervisor's
    /// success means that dom0 powered off, not that dom0 built every
    /// domain: a boot in which a configured domain never ran
    /// (`UnbuiltDomain`) is a failure. Any other status says more already
    /// and is kept.
    ///
    /// xtool checks this, not dom0, because xtool wrote the manifest and
    /// knows what was asked; the check holds whatever dom0 did, and reads
    /// only lines no other domain can write.
    mutating func requireDomainsBuilt(_ manifest: DomainManifest) {
        unbuiltDomains = UnbuiltDomain.all(in: transcript, manifest: manifest)
        guard status == .success, !unbuiltDomains.isEmpty else { return }
        status = .failure
        let names = unbuiltDomains.map(\.name).joined(separator: ", ")
        warnings.append("dom0 did not build every configured domain (\(names)): the boot counts as a failure")
    }
}
