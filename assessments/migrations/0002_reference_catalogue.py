"""The reference catalogue from the public record (see DOMAIN.md).

Sources: Commission Recommendation (EU) 2019/534, the EU coordinated risk
assessment of 9 Oct 2019 and the EU Toolbox of 29 Jan 2020. Items marked
unofficial are the portal's own labels where the record is silent.
"""

from django.db import migrations

RISK_CATEGORIES = [
    ("C1", "Insufficient security measures"),
    ("C2", "5G supply chain"),
    ("C3", "Modus operandi of main threat actors"),
    ("C4", "Interdependencies with other critical systems"),
    ("C5", "End-user devices"),
]

RISK_SCENARIOS = [
    # (code, category, title, strategic)
    ("R1", "C1", "Misconfiguration of networks", False),
    ("R2", "C1", "Lack of access controls", False),
    ("R3", "C2", "Low product quality", False),
    ("R4", "C2", "Dependency on any single supplier within individual networks or lack of diversity on nation-wide basis", True),
    ("R5", "C3", "State interference through 5G supply chain", True),
    ("R6", "C3", "Exploitation of 5G networks by organised crime or organised crime group targeting end-users", False),
    ("R7", "C4", "Significant disruption of critical infrastructures or services", False),
    ("R8", "C4", "Massive failure of networks due to interruption of electricity supply or other support systems", False),
    ("R9", "C5", "IoT (Internet of Things) exploitation", False),
]

THREATS = [
    ("outage", "Local or global outage of 5G networks"),
    ("espionage", "Espionage or monitoring of traffic or data"),
    ("modification", "Modification or rerouting of traffic or data"),
    ("destruction", "Destruction or alteration of other digital infrastructures or information systems"),
]

THREAT_ACTORS = [
    ("state", "Non-EU states or state-backed actors",
     "Judged by the coordinated assessment the most serious and the most likely to target 5G networks."),
    ("insider", "Insiders of operators or their service providers", ""),
    ("organised-crime", "Organised crime", ""),
    ("hacktivist", "Hacktivists", ""),
    ("individual-hacker", "Individual hackers", ""),
    ("cyber-terrorist", "Cyber-terrorists", ""),
]

KEY_ASSET_CLASSES = [
    # (code, title, critical and sensitive, official)
    ("core", "Core network functions", True, True),
    ("management", "Network management and orchestration functions", True, True),
    ("access", "Access network functions (RAN)", True, True),
    ("transport", "Transport and transmission", False, False),
    ("interconnection", "Interconnection and internet exchange", False, False),
    ("virtualisation", "Virtualisation and edge (NFV/SDN, MEC)", False, False),
    ("support", "Support systems (power, facilities)", False, False),
    ("other", "Other", False, False),
]

SUPPLIER_RISK_CRITERIA = [
    ("RP1", "A strong link between the supplier and the government of a given third country", True),
    ("RP2", "The third country's legislation, especially where there are no legislative or democratic checks and "
            "balances, or no security or data-protection agreement between the EU and that country", True),
    ("RP3", "The characteristics of the supplier's corporate ownership", True),
    ("RP4", "The ability of the third country to exert any form of pressure, including over where equipment is "
            "manufactured", True),
    ("RP5", "The supplier's ability to assure supply, and the quality of its products and cybersecurity practices",
     False),
]

SUPPLIERS = ["Huawei", "ZTE", "Ericsson", "Nokia", "Samsung", "Cisco"]

KEY_MEASURES = {"SM03", "SM05"}
TOOLBOX_MEASURES = [
    ("SM01", "Strengthening the role of national authorities"),
    ("SM02", "Performing audits on operators and requiring information"),
    ("SM03", "Assessing the risk profile of suppliers and applying restrictions for suppliers considered to be high "
             "risk, including necessary exclusions to effectively mitigate risks, for key assets"),
    ("SM04", "Controlling the use of Managed Service Providers (MSPs) and equipment suppliers' third line support"),
    ("SM05", "Ensuring the diversity of suppliers for individual MNOs through appropriate multi-vendor strategies"),
    ("SM06", "Strengthening the resilience at national level"),
    ("SM07", "Identifying key assets and fostering a diverse and sustainable 5G ecosystem in the EU"),
    ("SM08", "Maintaining and building diversity and EU capacities in future network technologies"),
    ("TM01", "Ensuring the application of baseline security requirements (secure network design and architecture)"),
    ("TM02", "Ensuring and evaluating the implementation of security measures in existing 5G standards"),
    ("TM03", "Ensuring strict access controls"),
    ("TM04", "Increasing the security of virtualised network functions"),
    ("TM05", "Ensuring secure 5G network management, operation and monitoring"),
    ("TM06", "Reinforcing physical security"),
    ("TM07", "Reinforcing software integrity, update and patch management"),
    ("TM08", "Raising the security standards in suppliers' processes through robust procurement conditions"),
    ("TM09", "Using EU certification for 5G network components, customer equipment and/or suppliers' processes"),
    ("TM10", "Using EU certification for other non 5G-specific ICT products and services (connected devices, cloud "
             "services)"),
    ("TM11", "Reinforcing resilience and continuity plans"),
    ("SA01", "Reviewing or developing guidelines and best practices on network security"),
    ("SA02", "Reinforcing testing and auditing capabilities at national and EU level"),
    ("SA03", "Supporting and shaping 5G standardisation"),
    ("SA04", "Developing guidance on the implementation of security measures in existing 5G standards"),
    ("SA05", "Ensuring the application of standard technical and organisational security measures through a specific "
             "EU-wide certification scheme"),
    ("SA06", "Exchanging best practices on the implementation of strategic measures, in particular national "
             "frameworks for assessing the risk profile of suppliers"),
    ("SA07", "Improving coordination in incident response and crisis management"),
    ("SA08", "Conducting audits of interdependencies between 5G networks and other critical services"),
    ("SA09", "Enhancing cooperation, coordination and information sharing mechanisms"),
    ("SA10", "Ensuring 5G deployment projects supported with public funding take into account cybersecurity risks"),
]


def load(apps, schema_editor):
    get = apps.get_model
    categories = {}
    for position, (code, title) in enumerate(RISK_CATEGORIES, 1):
        categories[code], _ = get("assessments", "RiskCategory").objects.update_or_create(
            code=code, defaults={"title": title, "position": position}
        )
    for position, (code, category, title, strategic) in enumerate(RISK_SCENARIOS, 1):
        get("assessments", "RiskScenario").objects.update_or_create(
            code=code,
            defaults={"title": title, "category": categories[category], "is_strategic": strategic, "position": position},
        )
    for position, (code, title) in enumerate(THREATS, 1):
        get("assessments", "Threat").objects.update_or_create(code=code, defaults={"title": title, "position": position})
    for position, (code, title, description) in enumerate(THREAT_ACTORS, 1):
        get("assessments", "ThreatActor").objects.update_or_create(
            code=code, defaults={"title": title, "description": description, "position": position}
        )
    for position, (code, title, critical, official) in enumerate(KEY_ASSET_CLASSES, 1):
        get("assessments", "KeyAssetClass").objects.update_or_create(
            code=code, defaults={"title": title, "is_critical": critical, "is_official": official, "position": position}
        )
    for position, (code, title, official) in enumerate(SUPPLIER_RISK_CRITERIA, 1):
        get("assessments", "SupplierRiskCriterion").objects.update_or_create(
            code=code, defaults={"title": title, "is_official": official, "position": position}
        )
    for name in SUPPLIERS:
        get("assessments", "Supplier").objects.get_or_create(name=name)
    for position, (code, title) in enumerate(TOOLBOX_MEASURES, 1):
        get("assessments", "ToolboxMeasure").objects.update_or_create(
            code=code,
            defaults={"title": title, "kind": code[:2], "is_key_measure": code in KEY_MEASURES, "position": position},
        )


def unload(apps, schema_editor):
    for model in ["ToolboxMeasure", "Supplier", "SupplierRiskCriterion", "KeyAssetClass", "ThreatActor", "Threat",
                  "RiskScenario", "RiskCategory"]:
        apps.get_model("assessments", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
