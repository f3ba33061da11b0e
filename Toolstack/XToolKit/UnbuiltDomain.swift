/// A domain of the boot's configs (`--domain`) that did not run: dom0
/// reported it could not build it, or the hypervisor never reported its end.
///
/// Why the second counts: when dom0 ends, the hypervisor destroys every
/// domain still there before it prints success or failure, and it reports
/// every end (`(HV) domain-end ...`). So on such a boot a domain without
/// an end was never created, whatever dom0 said or did not say (it may
/// have stopped early, or be a kernel that ignores the manifest). After a
/// panic or a timeout the ends may be missing for want of time; the rows
/// then say "no end reported", and the status is left as it is.
/// Only the hypervisor's lines and dom0's are read: no other domain can
/// make a configured domain look built, or not built.
public struct UnbuiltDomain: Sendable, Equatable {
    public var name: String
    /// The id the hypervisor gave it, if dom0 got as far as creating it
    /// (a half-built domain is destroyed again: its end reads "destroyed").
    public var id: Int?
    /// What dom0 said; nil if it said nothing.
    public var reason: String?

    public init(name: String, id: Int? = nil, reason: String? = nil) {
        self.name = name
        self.id = id
        self.reason = reason
    }

    /// Its "ended" column in xtool's table.
    public var ended: String {
        reason.map { "not built (\($0))" } ?? "no end reported"
    }

    /// The domains of `manifest` that did not run, in the manifest's order.
    public static func all(in transcript: String, manifest: DomainManifest) -> [UnbuiltDomain] {
        let ends = DomainEnd.all(in: transcript)
        let failures = DomainBuildFailure.all(in: transcript)
        var unbuilt: [UnbuiltDomain] = []
        for (index, domain) in manifest.domains.enumerated() {
            let line = manifest.lineNumber(ofDomainAt: index)
            let failure = failures.last { $0.subject == .name(domain.name) || $0.subject == .manifestLine(line) }
            let end = ends.first { $0.name == domain.name }
            if failure != nil || end == nil {
                unbuilt.append(UnbuiltDomain(name: domain.name, id: end?.id, reason: failure?.reason))
            }
        }
        return unbuilt
    }
}
