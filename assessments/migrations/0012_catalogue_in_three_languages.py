"""The catalogue in English, French and German (see docs/languages.md, Whose wording).

The English texts move from each entry's row into its translations (whatever an admin had changed stays); the
French and German texts are added for every entry of the reference catalogue (0002). They use the terms of the
French and German versions of Commission Recommendation (EU) 2019/534 and of the Commission's Communication on
the Toolbox (COM(2020) 50): *fournisseur à haut risque* / *Hochrisikoanbieter*, *évaluation coordonnée des
risques* / *koordinierte Risikobewertung*, *boîte à outils* / *Instrumentarium*. Entries the public record does
not have (RP5, the asset classes after RAN) are the portal's own, in each language.

`load` is idempotent, and loads the catalogue of 0002 as well: tests/conftest.py runs it (not 0002's, which
writes the titles into columns that no longer exist) after a transactional test empties the tables.
"""

import importlib

from django.db import migrations

REFERENCE = importlib.import_module("assessments.migrations.0002_reference_catalogue")

# {model: {code: (French, German)}}
TITLES = {
    "RiskCategory": {
        "C1": ("Mesures de sécurité insuffisantes", "Unzureichende Sicherheitsmaßnahmen"),
        "C2": ("Chaîne d’approvisionnement de la 5G", "5G-Lieferkette"),
        "C3": ("Mode opératoire des principaux acteurs de la menace", "Vorgehensweise der wichtigsten Bedrohungsakteure"),
        "C4": ("Interdépendances avec d’autres systèmes critiques", "Abhängigkeiten von anderen kritischen Systemen"),
        "C5": ("Terminaux des utilisateurs finaux", "Endgeräte der Endnutzer"),
    },
    "RiskScenario": {
        "R1": ("Mauvaise configuration des réseaux", "Fehlkonfiguration von Netzen"),
        "R2": ("Absence de contrôles d’accès", "Fehlende Zugangskontrollen"),
        "R3": ("Faible qualité des produits", "Geringe Produktqualität"),
        "R4": ("Dépendance à l’égard d’un seul fournisseur au sein de réseaux individuels ou manque de diversité à "
               "l’échelle nationale",
               "Abhängigkeit von einem einzigen Anbieter in einzelnen Netzen oder mangelnde Vielfalt auf nationaler "
               "Ebene"),
        "R5": ("Ingérence d’un État par l’intermédiaire de la chaîne d’approvisionnement de la 5G",
               "Staatliche Einflussnahme über die 5G-Lieferkette"),
        "R6": ("Exploitation des réseaux 5G par la criminalité organisée ou par un groupe criminel organisé ciblant "
               "les utilisateurs finaux",
               "Ausnutzung von 5G-Netzen durch die organisierte Kriminalität oder eine kriminelle Vereinigung, die es "
               "auf Endnutzer abgesehen hat"),
        "R7": ("Perturbation importante d’infrastructures ou de services critiques",
               "Erhebliche Störung kritischer Infrastrukturen oder Dienste"),
        "R8": ("Défaillance massive des réseaux due à une interruption de l’alimentation électrique ou d’autres "
               "systèmes de soutien",
               "Massiver Ausfall von Netzen infolge einer Unterbrechung der Stromversorgung oder anderer "
               "Versorgungssysteme"),
        "R9": ("Exploitation de l’IdO (internet des objets)", "Ausnutzung des IoT (Internet der Dinge)"),
    },
    "Threat": {
        "outage": ("Panne locale ou globale des réseaux 5G", "Lokaler oder globaler Ausfall von 5G-Netzen"),
        "espionage": ("Espionnage ou surveillance du trafic ou des données",
                      "Spionage oder Überwachung des Verkehrs oder der Daten"),
        "modification": ("Modification ou réacheminement du trafic ou des données",
                         "Veränderung oder Umleitung des Verkehrs oder der Daten"),
        "destruction": ("Destruction ou altération d’autres infrastructures numériques ou systèmes d’information",
                        "Zerstörung oder Veränderung anderer digitaler Infrastrukturen oder Informationssysteme"),
    },
    "ThreatActor": {
        "state": ("États non membres de l’UE ou acteurs soutenus par un État",
                  "Nicht-EU-Staaten oder staatlich unterstützte Akteure"),
        "insider": ("Personnes internes aux opérateurs ou à leurs prestataires de services",
                    "Innentäter bei Betreibern oder ihren Dienstleistern"),
        "organised-crime": ("Criminalité organisée", "Organisierte Kriminalität"),
        "hacktivist": ("Hacktivistes", "Hacktivisten"),
        "individual-hacker": ("Pirates informatiques isolés", "Einzelne Hacker"),
        "cyber-terrorist": ("Cyberterroristes", "Cyberterroristen"),
    },
    "KeyAssetClass": {
        "core": ("Fonctions du cœur de réseau", "Kernnetzfunktionen"),
        "management": ("Fonctions de gestion et d’orchestration du réseau",
                       "Netzverwaltungs- und Orchestrierungsfunktionen"),
        "access": ("Fonctions du réseau d’accès (RAN)", "Zugangsnetzfunktionen (RAN)"),
        "transport": ("Transport et transmission", "Transport und Übertragung"),
        "interconnection": ("Interconnexion et points d’échange internet", "Zusammenschaltung und Internetknoten"),
        "virtualisation": ("Virtualisation et périphérie (NFV/SDN, MEC)", "Virtualisierung und Edge (NFV/SDN, MEC)"),
        "support": ("Systèmes de soutien (énergie, installations)", "Versorgungssysteme (Strom, Gebäude)"),
        "other": ("Autre", "Sonstige"),
    },
    "SupplierRiskCriterion": {
        "RP1": ("Un lien étroit entre le fournisseur et le gouvernement d’un pays tiers donné",
                "Eine enge Verbindung zwischen dem Anbieter und der Regierung eines bestimmten Drittlands"),
        "RP2": ("La législation du pays tiers, en particulier en l’absence de contre-pouvoirs législatifs ou "
                "démocratiques, ou d’accord en matière de sécurité ou de protection des données entre l’UE et ce pays",
                "Die Rechtsvorschriften des Drittlands, insbesondere wenn es dort keine legislativen oder "
                "demokratischen Kontrollmechanismen gibt oder zwischen der EU und diesem Land kein Sicherheits- oder "
                "Datenschutzabkommen besteht"),
        "RP3": ("Les caractéristiques de la structure de propriété de l’entreprise du fournisseur",
                "Die Merkmale der Eigentümerstruktur des Anbieters"),
        "RP4": ("La capacité du pays tiers à exercer toute forme de pression, y compris en ce qui concerne le lieu "
                "de fabrication des équipements",
                "Die Fähigkeit des Drittlands, jede Form von Druck auszuüben, auch im Hinblick darauf, wo die "
                "Ausrüstung hergestellt wird"),
        "RP5": ("La capacité du fournisseur à garantir l’approvisionnement, et la qualité de ses produits et de ses "
                "pratiques en matière de cybersécurité",
                "Die Fähigkeit des Anbieters, die Lieferung sicherzustellen, sowie die Qualität seiner Produkte und "
                "seiner Cybersicherheitspraktiken"),
    },
    "ToolboxMeasure": {
        "SM01": ("Renforcement du rôle des autorités nationales", "Stärkung der Rolle der nationalen Behörden"),
        "SM02": ("Réalisation d’audits auprès des opérateurs et demandes d’informations",
                 "Durchführung von Audits bei den Betreibern und Anforderung von Informationen"),
        "SM03": ("Évaluation du profil de risque des fournisseurs et application de restrictions aux fournisseurs "
                 "considérés comme à haut risque, y compris les exclusions nécessaires pour atténuer efficacement les "
                 "risques, pour les actifs clés",
                 "Bewertung des Risikoprofils der Anbieter und Beschränkungen für als Hochrisikoanbieter eingestufte "
                 "Anbieter, einschließlich der für eine wirksame Risikominderung notwendigen Ausschlüsse, bei "
                 "Schlüsselkomponenten"),
        "SM04": ("Contrôle du recours aux fournisseurs de services gérés (MSP) et à l’assistance de troisième niveau "
                 "des équipementiers",
                 "Kontrolle des Einsatzes von Managed-Service-Providern (MSP) und des Third-Line-Supports der "
                 "Ausrüstungsanbieter"),
        "SM05": ("Diversité des fournisseurs de chaque opérateur de réseau mobile grâce à des stratégies "
                 "multifournisseurs appropriées",
                 "Gewährleistung der Anbietervielfalt bei einzelnen Mobilfunknetzbetreibern durch geeignete "
                 "Multi-Vendor-Strategien"),
        "SM06": ("Renforcement de la résilience au niveau national", "Stärkung der Resilienz auf nationaler Ebene"),
        "SM07": ("Recensement des actifs clés et promotion d’un écosystème 5G diversifié et durable dans l’UE",
                 "Ermittlung von Schlüsselkomponenten und Förderung eines vielfältigen und nachhaltigen "
                 "5G-Ökosystems in der EU"),
        "SM08": ("Maintien et développement de la diversité et des capacités de l’UE dans les futures technologies "
                 "de réseau",
                 "Erhalt und Aufbau von Vielfalt und EU-Kapazitäten bei künftigen Netztechnologien"),
        "TM01": ("Application d’exigences de sécurité de base (conception et architecture sécurisées du réseau)",
                 "Anwendung grundlegender Sicherheitsanforderungen (sicheres Netzdesign und sichere "
                 "Netzarchitektur)"),
        "TM02": ("Mise en œuvre et évaluation des mesures de sécurité prévues par les normes 5G existantes",
                 "Gewährleistung und Bewertung der Umsetzung von Sicherheitsmaßnahmen in bestehenden 5G-Normen"),
        "TM03": ("Contrôles d’accès stricts", "Gewährleistung strenger Zugangskontrollen"),
        "TM04": ("Renforcement de la sécurité des fonctions de réseau virtualisées",
                 "Erhöhung der Sicherheit virtualisierter Netzfunktionen"),
        "TM05": ("Sécurité de la gestion, de l’exploitation et de la surveillance des réseaux 5G",
                 "Sichere Verwaltung, sicherer Betrieb und sichere Überwachung der 5G-Netze"),
        "TM06": ("Renforcement de la sécurité physique", "Verstärkung der physischen Sicherheit"),
        "TM07": ("Renforcement de l’intégrité des logiciels et de la gestion des mises à jour et des correctifs",
                 "Verstärkung der Softwareintegrität sowie des Update- und Patch-Managements"),
        "TM08": ("Relèvement des normes de sécurité dans les processus des fournisseurs au moyen de conditions de "
                 "passation de marchés rigoureuses",
                 "Anhebung der Sicherheitsstandards in den Prozessen der Anbieter durch strenge "
                 "Beschaffungsbedingungen"),
        "TM09": ("Recours à la certification de l’UE pour les composants des réseaux 5G, les équipements des "
                 "clients et/ou les processus des fournisseurs",
                 "Nutzung der EU-Zertifizierung für 5G-Netzkomponenten, Kundengeräte und/oder Prozesse der "
                 "Anbieter"),
        "TM10": ("Recours à la certification de l’UE pour d’autres produits et services TIC non spécifiques à la 5G "
                 "(appareils connectés, services en nuage)",
                 "Nutzung der EU-Zertifizierung für andere, nicht 5G-spezifische IKT-Produkte und -Dienste "
                 "(vernetzte Geräte, Cloud-Dienste)"),
        "TM11": ("Renforcement des plans de résilience et de continuité",
                 "Verstärkung der Resilienz- und Kontinuitätspläne"),
        "SA01": ("Réexamen ou élaboration de lignes directrices et de bonnes pratiques en matière de sécurité des "
                 "réseaux",
                 "Überprüfung oder Ausarbeitung von Leitlinien und bewährten Verfahren für die Netzsicherheit"),
        "SA02": ("Renforcement des capacités d’essai et d’audit au niveau national et au niveau de l’UE",
                 "Verstärkung der Test- und Auditkapazitäten auf nationaler und EU-Ebene"),
        "SA03": ("Soutien à la normalisation de la 5G et participation à son orientation",
                 "Unterstützung und Mitgestaltung der 5G-Normung"),
        "SA04": ("Élaboration d’orientations sur la mise en œuvre des mesures de sécurité prévues par les normes 5G "
                 "existantes",
                 "Ausarbeitung von Leitlinien für die Umsetzung von Sicherheitsmaßnahmen in bestehenden 5G-Normen"),
        "SA05": ("Application de mesures de sécurité techniques et organisationnelles standard au moyen d’un schéma "
                 "de certification spécifique à l’échelle de l’UE",
                 "Gewährleistung der Anwendung technischer und organisatorischer Standardsicherheitsmaßnahmen durch "
                 "ein spezifisches EU-weites Zertifizierungsschema"),
        "SA06": ("Échange de bonnes pratiques sur la mise en œuvre des mesures stratégiques, en particulier des "
                 "cadres nationaux d’évaluation du profil de risque des fournisseurs",
                 "Austausch bewährter Verfahren zur Umsetzung strategischer Maßnahmen, insbesondere nationaler "
                 "Rahmen für die Bewertung des Risikoprofils von Anbietern"),
        "SA07": ("Amélioration de la coordination en matière de réaction aux incidents et de gestion des crises",
                 "Verbesserung der Koordinierung bei der Reaktion auf Sicherheitsvorfälle und beim "
                 "Krisenmanagement"),
        "SA08": ("Audits des interdépendances entre les réseaux 5G et d’autres services critiques",
                 "Durchführung von Audits der Abhängigkeiten zwischen 5G-Netzen und anderen kritischen Diensten"),
        "SA09": ("Renforcement des mécanismes de coopération, de coordination et de partage d’informations",
                 "Ausbau der Mechanismen für Zusammenarbeit, Koordinierung und Informationsaustausch"),
        "SA10": ("Prise en compte des risques de cybersécurité dans les projets de déploiement de la 5G bénéficiant "
                 "d’un financement public",
                 "Berücksichtigung von Cybersicherheitsrisiken bei öffentlich geförderten 5G-Einführungsprojekten"),
    },
}

DESCRIPTIONS = {
    "ThreatActor": {
        "state": ("Jugés par l’évaluation coordonnée comme la menace la plus grave et la plus susceptible de cibler "
                  "les réseaux 5G.",
                  "Von der koordinierten Risikobewertung als die schwerwiegendste Bedrohung eingestuft, die am "
                  "ehesten auf 5G-Netze abzielt."),
    },
}


def _edition(apps):
    """On the tables of today each measure and scenario names its catalogue edition (migration 0022, whose loader
    the tests run first): 0002's are the 5G Toolbox's. The tables of this migration have no editions yet."""
    try:
        edition = apps.get_model("assessments", "CatalogueEdition")
    except LookupError:
        return {}
    return {"edition": edition.objects.get(code="5g-toolbox-2020")}


def _entries(apps):
    """0002's entries on the tables of today (or of this migration): the rows, and their English texts by code."""
    get = apps.get_model
    edition = _edition(apps)
    english = {}
    categories = {}
    for position, (code, title) in enumerate(REFERENCE.RISK_CATEGORIES, 1):
        categories[code], _ = get("assessments", "RiskCategory").objects.update_or_create(
            code=code, defaults={"position": position})
        english["RiskCategory", code] = {"title": title}
    for position, (code, category, title, strategic) in enumerate(REFERENCE.RISK_SCENARIOS, 1):
        get("assessments", "RiskScenario").objects.update_or_create(code=code, defaults={
            "category": categories[category], "is_strategic": strategic, "position": position, **edition})
        english["RiskScenario", code] = {"title": title}
    for position, (code, title) in enumerate(REFERENCE.THREATS, 1):
        get("assessments", "Threat").objects.update_or_create(code=code, defaults={"position": position})
        english["Threat", code] = {"title": title}
    for position, (code, title, description) in enumerate(REFERENCE.THREAT_ACTORS, 1):
        get("assessments", "ThreatActor").objects.update_or_create(code=code, defaults={"position": position})
        english["ThreatActor", code] = {"title": title, "description": description}
    for position, (code, title, critical, official) in enumerate(REFERENCE.KEY_ASSET_CLASSES, 1):
        get("assessments", "KeyAssetClass").objects.update_or_create(code=code, defaults={
            "is_critical": critical, "is_official": official, "position": position})
        english["KeyAssetClass", code] = {"title": title}
    for position, (code, title, official) in enumerate(REFERENCE.SUPPLIER_RISK_CRITERIA, 1):
        get("assessments", "SupplierRiskCriterion").objects.update_or_create(code=code, defaults={
            "is_official": official, "position": position})
        english["SupplierRiskCriterion", code] = {"title": title}
    for name in REFERENCE.SUPPLIERS:
        get("assessments", "Supplier").objects.get_or_create(name=name)
    for position, (code, title) in enumerate(REFERENCE.TOOLBOX_MEASURES, 1):
        get("assessments", "ToolboxMeasure").objects.update_or_create(code=code, defaults={
            "kind": code[:2], "is_key_measure": code in REFERENCE.KEY_MEASURES, "position": position, **edition})
        english["ToolboxMeasure", code] = {"title": title}
    return english


def load(apps, schema_editor):
    reference = _entries(apps)
    for model_name, titles in TITLES.items():
        Model = apps.get_model("assessments", model_name)
        Translation = apps.get_model("assessments", f"{model_name}Translation")
        fields = ["title", "description"] if model_name in DESCRIPTIONS else ["title"]
        for entry in Model.objects.all():
            # While migrating, the English texts are still the row's own columns (as an admin may have changed
            # them): they become the English translation. Run by the tests on today's tables, they are 0002's.
            english = ({field: entry.__dict__[field] for field in fields if field in entry.__dict__}
                       or reference.get((model_name, entry.code)))
            if english:
                Translation.objects.update_or_create(master_id=entry.pk, language_code="en", defaults=english)
            if entry.code not in titles:
                continue  # an admin's own entry: English only until an admin translates it
            for index, language in enumerate(("fr", "de")):
                texts = {"title": titles[entry.code][index]}
                if entry.code in DESCRIPTIONS.get(model_name, {}):
                    texts["description"] = DESCRIPTIONS[model_name][entry.code][index]
                Translation.objects.update_or_create(master_id=entry.pk, language_code=language, defaults=texts)


def unload(apps, schema_editor):
    for model_name in TITLES:
        Model = apps.get_model("assessments", model_name)
        Translation = apps.get_model("assessments", f"{model_name}Translation")
        for translation in Translation.objects.filter(language_code="en"):
            texts = {"title": translation.title}
            if model_name in DESCRIPTIONS:
                texts["description"] = translation.description
            Model.objects.filter(pk=translation.master_id).update(**texts)
        Translation.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0011_catalogue_translatable")]
    operations = [migrations.RunPython(load, unload)]
