using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>
/// A throw-away CA that issues loopback server certificates, standing in for OpenShift's service CA in TLS tests.
/// Certificates are valid from a day ago to a day ahead of the real clock (TLS validation uses the real clock).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(X509Certificate2 certificate)
    {
        Certificate = certificate;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static TestCertificateAuthority Create(string commonName = "thanos-bridge test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var (notBefore, notAfter) = Validity();
        return new TestCertificateAuthority(request.CreateSelfSigned(notBefore, notAfter));
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost, signed by this CA, with its private key.</summary>
    public X509Certificate2 IssueLoopbackServerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var (notBefore, notAfter) = Validity();
        // A leaf may not outlive its issuer; the CA was made a moment earlier, so its validity ends a moment earlier too.
        var issuerNotAfter = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        notAfter = notAfter < issuerNotAfter ? notAfter : issuerNotAfter;
        using var issued = request.Create(Certificate, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the CA certificate (not its key) as PEM, as a mounted service-ca.crt would be.</summary>
    public void WritePem(string path) => File.WriteAllText(path, Certificate.ExportCertificatePem());

    public void Dispose() => Certificate.Dispose();

    private static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Validity()
    {
        var now = TimeProvider.System.GetUtcNow();
        return (now.AddDays(-1), now.AddDays(1));
    }
}
