# Console: doelen en doelversies, gebeurtenissen, handmatige cijfers (uploads).

# Gedeeld door de formulieren
targets-error-summary = Er is een probleem
targets-error-prefix = Fout:
targets-edit = Wijzigen
targets-view = Bekijken
targets-actions = Acties
targets-back = Terug naar { $page }

# Doelen
goals-intro = Elk doel heeft een nulmeting en een streefwaarde. Elke wijziging wordt als nieuwe doelversie bewaard; de publieke pagina's noemen de versie die ze gebruiken.
goals-caption = Doelen met hun geldende versie
goals-goal = Doel
goals-baseline = Nulmeting
goals-target = Streefwaarde
goals-version = Versie
goals-changed = Geldig sinds
goals-changed-by = Door
goals-form-heading = Nulmeting en streefwaarde wijzigen
goals-baseline-period = Periode van de nulmeting
goals-baseline-value = Waarde van de nulmeting
goals-target-period = Periode van de streefwaarde
goals-target-value = Streefwaarde
goals-period-hint = Een jaar (2030), kwartaal (2030-Q1), maand (2030-01), halfjaar (2030-H1) of dag (2030-01-01).
goals-value-hint = Alleen cijfers, zonder scheidingstekens voor duizendtallen, bijvoorbeeld 30600 of 12,5.
goals-note = Toelichting op de keuze
goals-note-hint = Waarom deze nulmeting en streefwaarde; staat bij het doel in de API.
goals-reason = Reden van de wijziging
goals-reason-hint = Verplicht. Wordt met de doelversie bewaard en openbaar in de API getoond.
goals-save = Nieuwe doelversie opslaan
goals-history = Alle doelversies, nieuwste eerst
goals-public-page = Bekijk het doel op de publieke site
goals-summary = { $goal } (reeks: { $series })
goals-kind-down = Dit doel wil een daling: de streefwaarde ligt onder de nulmeting.
goals-kind-up = Dit doel wil een stijging: de streefwaarde ligt boven de nulmeting.
goals-kind-cumulative = De jaarcijfers worden vanaf de nulmeting opgeteld; de nulmeting is daarom 0.
goals-saved = Doel { $goal } is opgeslagen als doelversie { $version }.
goals-not-found = Dat doel bestaat niet.

# Gebeurtenissen
events-intro = Beleidsgebeurtenissen worden op de publieke grafieken getekend en eronder genoemd: bij één reeks of bij alle reeksen.
events-caption = Alle gebeurtenissen, nieuwste eerst
events-empty = Er zijn nog geen gebeurtenissen.
events-date = Datum
events-date-hint = Als JJJJ-MM-DD, bijvoorbeeld 2026-11-24.
events-title-nl = Titel (Nederlands)
events-title-en = Titel (Engels)
events-url = Webadres
events-url-hint = Waar de gebeurtenis te lezen is; begint met https://.
events-series = Reeks
events-all-series = Alle reeksen
events-add = Gebeurtenis toevoegen
events-add-button = Toevoegen
events-edit = Gebeurtenis wijzigen
events-id = Kenmerk: { $id }
events-delete = Gebeurtenis verwijderen
events-delete-hint = Verwijderen haalt de gebeurtenis van alle grafieken. Het auditlog bewaart wat er stond.
events-delete-button = Verwijderen
events-added = Gebeurtenis { $title } is toegevoegd.
events-updated = Gebeurtenis { $title } is gewijzigd.
events-deleted = Gebeurtenis { $title } is verwijderd.

# Handmatige cijfers
uploads-intro = Lever cijfers aan die niet automatisch binnenkomen, zoals regionale ETHOS-tellingen. Een upload wordt bewaard als een ophaling: een gewijzigde waarde wordt een herziening en de vorige waarde blijft in de geschiedenis.
uploads-form-heading = Een CSV-bestand uploaden
uploads-target = Reeks
uploads-target-existing = Toevoegen aan een bestaande reeks
uploads-target-new = Een nieuwe reeks maken
uploads-series = Bestaande reeks
uploads-choose-series = Kies een reeks
uploads-new-series = Nieuwe reeks
uploads-new-id = Kenmerk van de nieuwe reeks
uploads-new-id-hint = Kleine letters, cijfers en _, beginnend met een letter; komt in de webadressen, bijvoorbeeld ethos_regio.
uploads-new-title-nl = Titel (Nederlands)
uploads-new-title-en = Titel (Engels)
uploads-new-unit = Eenheid
uploads-new-measure = Soort cijfer
uploads-measure-level = stand op een peildatum (begin van de periode)
uploads-measure-flow = aantal gedurende de periode
uploads-new-description-nl = Omschrijving (Nederlands)
uploads-new-description-en = Omschrijving (Engels)
uploads-new-licence = Licentie
uploads-new-licence-hint = Bijvoorbeeld CC BY 4.0.
uploads-new-licence-url = Webadres van de licentie
uploads-source-label = Bron
uploads-source-label-hint = Wie de cijfers publiceert, bijvoorbeeld Gemeente Utrecht, ETHOS-telling 2024. Staat bij elk cijfer.
uploads-source-url = Webadres van de bron
uploads-file = Bestand
uploads-file-hint = Een CSV-bestand van hoogstens { $max } MB, in het formaat hieronder.
uploads-submit = Controleren en opslaan
uploads-file-has-problems = Het bestand heeft problemen ({ $count }); er is niets opgeslagen.
uploads-more-problems = En nog { $count } problemen die hier niet staan.
uploads-problems-caption = Problemen in het bestand
uploads-line = Regel
uploads-problem = Probleem
uploads-caption = Recente uploads
uploads-when = Wanneer
uploads-by = Door
uploads-new = Nieuw
uploads-revised = Herzien
uploads-unchanged = Ongewijzigd
uploads-size = Grootte
uploads-bytes = { $size } bytes
uploads-checksum = SHA-256
uploads-fetch = Ophaling
uploads-created-series = Deze upload heeft de reeks aangemaakt.
uploads-view-series = Bekijk de reeks op de publieke site
uploads-view-history = Bekijk de herzieningsgeschiedenis (API)
uploads-stored = { $file } is opgeslagen: { $new } nieuw, { $revised } herzien, { $unchanged } ongewijzigd.
uploads-result-title = Upload { $file }
uploads-too-large-title = Bestand te groot
uploads-format-heading = Het formaat
uploads-format-encoding = UTF-8-tekst (in Excel: CSV UTF-8), hoogstens 5 MB en 100.000 regels; lege regels worden overgeslagen.
uploads-format-columns = Een kopregel is verplicht. Kolommen in willekeurige volgorde: period en value (verplicht), category, status en note (optioneel). De Nederlandse namen periode, waarde, categorie en toelichting mogen ook; andere kolommen worden geweigerd.
uploads-format-separator = Scheidingsteken en decimaalteken horen bij elkaar: met komma's gescheiden betekent een decimale punt (1234.5); met puntkomma's gescheiden (zoals Nederlandse Excel opslaat) betekent een decimale komma (1234,5). Nooit scheidingstekens voor duizendtallen.
uploads-format-period = period: 2024, 2024-H1, 2024-Q1, 2024-01, 2012/13 of 2024-01-01 (CBS-codes zoals 2024JJ00 mogen ook).
uploads-format-category = category: de uitsplitsing, bijvoorbeeld een gemeentecode (GM0344); leeg betekent het totaal.
uploads-format-status = status: final (standaard), provisional, revised_provisional, rounded, forecast of estimated. note: vrije tekst, hoogstens 500 tekens.
uploads-format-unique = Elke combinatie van category en period komt één keer voor.
uploads-format-atomic = Elk probleem wordt met zijn regelnummer gemeld (de kopregel is regel 1). Er wordt alleen iets opgeslagen als het hele bestand klopt.
uploads-format-example = Voorbeeld:

# Problemen met een formulierveld
problem-required = Vul dit veld in.
problem-too-long = Deze tekst is langer dan { $max } tekens.
problem-control-characters = Deze tekst mag geen regeleinden of stuurtekens bevatten.
problem-not-a-number = "{ $value }" is geen getal. Schrijf cijfers met hoogstens één decimaalteken, zonder scheidingstekens voor duizendtallen.
problem-ambiguous-number = "{ $value }" is dubbelzinnig: schrijf het zonder scheidingsteken voor duizendtallen (30600) of zonder nul aan het eind (30,6).
problem-bad-period = "{ $value }" is geen periode. Schrijf 2030, 2030-Q1, 2030-01, 2030-H1, 2012/13 of 2030-01-01.
problem-target-not-after-baseline = De periode van de streefwaarde moet na de nulmeting ({ $value }) komen.
problem-target-wrong-side = De streefwaarde moet voor dit doel { $side ->
    [below] lager
   *[above] hoger
  } zijn dan de nulmeting.
problem-cumulative-baseline = Een optellend doel begint bij 0: de nulmeting moet 0 zijn.
problem-bad-date = "{ $value }" is geen datum. Schrijf JJJJ-MM-DD, bijvoorbeeld 2026-11-24.
problem-bad-url = "{ $value }" is geen webadres dat met https:// of http:// begint.
problem-unknown-series = Er is geen reeks "{ $value }".
problem-bad-id = "{ $value }" is geen geldig kenmerk: gebruik kleine letters, cijfers en _, beginnend met een letter.
problem-taken = "{ $value }" bestaat al.
problem-bad-choice = "{ $value }" is geen van de keuzes.
problem-unchanged = Er is niets gewijzigd.
problem-stale = Iemand anders heeft dit doel intussen gewijzigd (nu versie { $version }). Laad de pagina opnieuw en probeer het nog eens.

# Problemen met een geüpload bestand
upload-problem-empty = Het bestand is leeg.
upload-problem-too-large = Het bestand is { $size } groot; er wordt hoogstens { $limit } aangenomen.
upload-problem-not-utf8 = Het bestand is geen UTF-8-tekst. Sla het op als "CSV UTF-8".
upload-problem-missing-column = De kopregel heeft geen kolom "{ $value }".
upload-problem-unknown-column = Onbekende kolom "{ $value }"; toegestaan zijn period, value, category, status en note.
upload-problem-duplicate-column = De kolom "{ $value }" staat er twee keer.
upload-problem-no-rows = Het bestand heeft een kopregel maar geen cijfers.
upload-problem-too-many-rows = Het bestand heeft meer dan { $max } regels met cijfers.
upload-problem-field-count = Verwacht { $expected } velden (zoals de kopregel), gevonden { $found }.
upload-problem-syntax = Deze regel is geen leesbare CSV: { $value }
upload-problem-empty-field = Het veld { $column } is leeg.
upload-problem-bad-number = "{ $value }" is geen getal. Schrijf cijfers met een decimale { $mark ->
    [comma] komma
   *[point] punt
  } en zonder scheidingstekens voor duizendtallen.
upload-problem-bad-period = "{ $value }" is geen periode (schrijf 2024, 2024-Q1, 2024-01, 2024-H1, 2012/13 of 2024-01-01).
upload-problem-bad-status = "{ $value }" is geen status (final, provisional, revised_provisional, rounded, forecast of estimated).
upload-problem-bad-category = "{ $value }" is geen categorie (1 tot 32 letters, cijfers, _ of -).
upload-problem-note-too-long = De toelichting is langer dan { $max } tekens.
upload-problem-duplicate-period = { $category } { $period } staat er twee keer (eerst op regel { $first }).
upload-problem-line = Regel { $line }: { $text }
