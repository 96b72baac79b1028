"""The words of the profile form's script (``assets/form.js``), in the site's language.

Written into the script by the build (:func:`generator.site.form.form_script`), as the introduction
search's are: the page's own words are in its template. ``%(name)s`` marks a value the script puts in.
"""

from __future__ import annotations

from generator.i18n import Language


def form_messages(language: Language) -> dict[str, str]:
    """Each message of the form's script by its key, said in ``language``."""
    _ = language.gettext
    return {
        # Opening a profile, and the changes other pages send.
        "unavailable": _("The form could not load the directory's data; try again later."),
        "nobody": _("Nobody in the directory has this handle or name."),
        "cannotLoad": _("The profile of %(handle)s could not be loaded: check the handle, or try again later."),
        "newTitle": _("Add your profile"),
        "editTitle": _("Edit the profile of %(name)s"),
        "sayWhoFirst": _("%(change)s First say whose profile it is."),
        "pendingSkill": _("Adding the skill %(skill)s to a profile."),
        "pendingJoin": _("Joining the group %(group)s."),
        "pendingLeave": _("Leaving the group %(group)s."),
        "pendingLunchOn": _("Taking part in the lunch pairing."),
        "pendingLunchOff": _("Leaving the lunch pairing."),
        "pendingSnooze": _("Skipping lunches until %(date)s."),
        "addedSkill": _("The skill %(skill)s is added: choose your level."),
        "alreadySkill": _("Your profile already lists %(skill)s."),
        "joined": _("The group %(group)s is added to your groups."),
        "left": _("The group %(group)s is removed from your groups."),
        "alreadyMember": _("Your profile already lists the group %(group)s."),
        "notMember": _("Your profile does not list the group %(group)s."),
        "cannotJoin": _("%(group)s is not a group people join by themselves: ask its owners."),
        "lunchOn": _("The lunch pairing is ticked."),
        "lunchOff": _("The lunch pairing is unticked."),
        "snoozed": _("Lunches are skipped until %(date)s."),
        "thenPrepare": _("Check the form, then prepare your file at the bottom of the page."),
        # The form's own controls.
        "skillNumber": _("Skill %(number)s"),
        "level": _("Level"),
        "removeSkill": _("Remove"),
        "remove": _("Remove %(item)s"),
        "summaryItem": _("%(field)s: %(message)s"),
        "warning": _("To check: %(message)s"),
        "didYouMean": _(" (did you mean %(choices)s?)"),
        "quoted": _("“%(text)s”"),
        "or": _(" or "),
        # What a value may not be: the words of `trombi validate`, said to the person who types it.
        "required": _("Required."),
        "invalid": _("This value is not valid here."),
        "notInList": _("Choose a value of the list."),
        "tooLong": _("At most %(max)s characters (%(found)s now)."),
        "tooMany": _("At most %(max)s entries."),
        "badOneLine": _("One line, without line break, control or invisible character: remove %(character)s."),
        "badLongText": _("Line breaks are fine, but not control or invisible characters: remove %(character)s."),
        "badEmail": _("Not an email address: write it as name@domain.example."),
        "badGithub": _("Not a GitHub login: 1 to 39 letters, digits and single hyphens, not starting or ending with '-'."),
        "badGitlab": _("Not a GitLab username: 2 to 255 letters, digits, '_', '.' and '-', not starting with '-' or '.'."),
        "loginAt": _("Write the login without '@': %(login)s."),
        "badDate": _("Not a date: write it as YYYY-MM-DD, e.g. 2024-01-05."),
        "badLanguage": _("A language is a two-letter code of the list (fr, en, de…)."),
        "unknownLanguage": _("“%(language)s” is not a language of the list: choose it by its name."),
        "badTimezone": _("Unknown time zone: choose an IANA name of the list, such as Europe/Paris."),
        "badPhoto": _("A photo is a file under photos/ (e.g. photos/jdupont.jpg) or an https:// address."),
        "badPhotoType": _("A photo is a .jpg, .jpeg, .png, .webp, .gif or .avif image."),
        "badHandle": _("Use 2 to 40 lowercase letters (a-z), digits and '-', starting with a letter or digit."),
        "reservedHandle": _("'index' and 'page-<number>' name the site's listing pages: choose another handle."),
        "takenHandle": _("This handle already has a profile: edit that one, or choose another handle."),
        "duplicate": _("Listed twice: keep it once."),
        # The rules between files that the page can check.
        "noTeam": _("Not a team of the directory%(hint)s: choose it from the list."),
        "notATeam": _("%(group)s is a group of type %(type)s, not a team."),
        "noPerson": _("Nobody in the directory has this handle or name%(hint)s."),
        "ownManager": _("A person cannot be their own manager."),
        "managerCycle": _("Managers would form a cycle: %(cycle)s."),
        "unknownSite": _("Not one of the company's sites (%(sites)s)."),
        "unknownSkill": _("Not a skill of the directory's list%(hint)s. A new skill is added to skills.yaml in the same pull request."),
        "duplicateSkill": _("%(skill)s is already skill %(item)s."),
        "noGroup": _("No group is called “%(group)s”%(hint)s."),
        "teamInGroups": _("%(group)s is a team: choose it as your team, not among your groups."),
        "orgInGroups": _("People belong to %(group)s through their team, not among their groups."),
        "closedGroup": _("%(group)s is a closed group: ask its owners to add you to its members."),
        "samplePhone": _("This is the sample number of the skeleton: write your own, or leave it empty."),
        "sampleBio": _("This is the sample text of the skeleton: write your own, or leave it empty."),
        "noLogin": _("Without a GitHub or GitLab login, nobody can approve changes to your profile."),
        # The file, and the git host's pages.
        "created": _("Here is %(path)s, ready to be proposed."),
        "changed": _("Here is %(path)s with your changes. Lines added: %(added)s; lines removed: %(removed)s."),
        "unchanged": _("Nothing changed in %(path)s."),
        "noChange": _("(no change)"),
        "yourHost": _("your git host"),
        "openNew": _("Propose this file on %(host)s"),
        "openNewEmpty": _("Open the new file page on %(host)s"),
        "newSteps": _("%(host)s opens with the file filled in: commit it to a new branch and open the pull request. Your colleagues review it as any change."),
        "urlTooLong": _("The file is too long to travel in an address (over %(limit)s characters): copy it, then paste it into the new file page."),
        "openEdit": _("Open the file on %(host)s"),
        "editSteps": _(
            "Copy the new content, open %(path)s on your git host, replace its content with it (or make only the changes shown below), then propose the change."
        ),
        "privateSteps": _(
            "Your file has private lines this page does not have: open %(path)s on your git host, make the changes below at their lines and propose the change."
        ),
        "hunkReplace": _("Replace lines %(first)s to %(last)s with:"),
        "hunkReplaceOne": _("Replace line %(line)s with:"),
        "hunkInsert": _("After line %(line)s, add:"),
        "hunkInsertTop": _("At the top of the file, add:"),
        "hunkDelete": _("Delete lines %(first)s to %(last)s."),
        "hunkDeleteOne": _("Delete line %(line)s."),
        "copyLines": _("Copy these lines"),
        "pasteSteps": _("Copy the file, create %(path)s in the repository with this content, then propose it."),
        "downloadSteps": _("This site names no repository: download the file and give it to the directory's maintainers as %(path)s."),
        "download": _("Download the file"),
        "copy": _("Copy the file"),
        "copied": _("Copied."),
        "copyByHand": _("The file is selected: copy it with your keyboard."),
    }
